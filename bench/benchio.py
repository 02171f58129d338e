"""What the benchmark drivers share: writing their JSON results (never half-written)."""

import json
import os


def write_atomically(path, doc):
    """Writes `doc` as JSON to `path` through a temporary file and a rename, and says so."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print(f"wrote {path}")
