// The ns-3 side of scripts/compare-ns3: two nodes on one 40 Gb/s point-to-point link, IPv4, a
// client keeping --window 64 B UDP requests outstanding against an echo server until
// --round-trips responses are back. Prints one line of key=value figures for
// bench/compare_ns3.py; the driver times the whole process, this times Simulator::Run alone.
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdio>

using namespace ns3;

// Closed loop: W requests at start, then one new request per response, so that W stay
// outstanding (UdpEchoClient sends on a timer, not on responses).
class WindowClient : public Application
{
  public:
    WindowClient(Address peer, uint32_t window, uint64_t roundTrips, uint32_t size)
        : m_peer(peer), m_window(window), m_target(roundTrips), m_size(size)
    {
    }

    uint64_t Completed() const { return m_done; }

  private:
    void StartApplication() override
    {
        m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        m_socket->Bind();
        m_socket->Connect(m_peer);
        m_socket->SetRecvCallback(MakeCallback(&WindowClient::Receive, this));
        for (uint32_t i = 0; i < m_window && m_sent < m_target; ++i)
            Send();
    }

    void StopApplication() override
    {
        if (m_socket)
            m_socket->Close();
    }

    void Send()
    {
        m_socket->Send(Create<Packet>(m_size));
        ++m_sent;
    }

    void Receive(Ptr<Socket> socket)
    {
        while (Ptr<Packet> p = socket->Recv())
        {
            if (++m_done == m_target)
            {
                Simulator::Stop(); // the rest still in flight is not waited for
                return;
            }
            if (m_sent < m_target)
                Send();
        }
    }

    Ptr<Socket> m_socket;
    Address m_peer;
    uint32_t m_window;
    uint64_t m_target;
    uint32_t m_size;
    uint64_t m_sent = 0;
    uint64_t m_done = 0;
};

int main(int argc, char* argv[])
{
    uint32_t window = 1;
    uint64_t roundTrips = 200000;
    uint32_t size = 64;
    // daggersim's default cable: network.link.cable_m = 2 m at 5 ns/m (`daggersim params`).
    std::string delay = "10ns";
    CommandLine cmd(__FILE__);
    cmd.AddValue("window", "requests outstanding", window);
    cmd.AddValue("round-trips", "stop after this many responses", roundTrips);
    cmd.AddValue("size", "UDP payload bytes of a request and of its response", size);
    cmd.AddValue("delay", "propagation delay of the link", delay);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("40Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    NetDeviceContainer devices = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addresses.Assign(devices);

    const uint16_t port = 9;
    UdpEchoServerHelper server(port);
    server.Install(nodes.Get(1)).Start(Seconds(0));
    Ptr<WindowClient> client =
        CreateObject<WindowClient>(InetSocketAddress(ifs.GetAddress(1), port), window, roundTrips, size);
    nodes.Get(0)->AddApplication(client);
    client->SetStartTime(Seconds(0));

    auto start = std::chrono::steady_clock::now();
    Simulator::Run();
    double runWall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("round_trips=%llu simulated_ns=%lld events=%llu run_wall_s=%.6f\n",
                (unsigned long long)client->Completed(), (long long)Simulator::Now().GetNanoSeconds(),
                (unsigned long long)Simulator::GetEventCount(), runWall);
    Simulator::Destroy();
    return 0;
}
