"""File creation after deletions: what slowed the side-by-side runs down round after round on the benchmark VM.

Output, per round: the system CPU time of creating FOLDERS folders holding one 20 KB file each, after deleting
the last round's tree (or, with --keep, next to it; with --wait, so many seconds after the deletion). On the
benchmark VM the system time grew round after round when each round deleted the last one's tree, and stayed flat
when nothing was deleted: its ext4 has no journal, and then walks past every recently freed inode when it
allocates one (BENCHMARKS.md, ninth and tenth sessions). So bench/run.py moves old outputs aside.

    .venv/bin/python bench/fs_churn.py /tmp/fs-churn --rounds 4 [--keep] [--wait SECONDS]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a folder to create (replaced)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--folders", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep every round's tree (a new one each round)")
    parser.add_argument("--wait", type=float, default=0.0, help="seconds to wait after the deletion and sync")
    args = parser.parse_args()
    shutil.rmtree(args.root, ignore_errors=True)
    data = b"x" * 20_000
    for number in range(args.rounds):
        tree = args.root / (f"round-{number}" if args.keep else "tree")
        if not args.keep:
            shutil.rmtree(tree, ignore_errors=True)
        os.sync()
        time.sleep(args.wait)
        before, begun = os.times(), time.perf_counter()
        for index in range(args.folders):
            folder = tree / "articles" / f"a{index:05d}-some-long-slug-name"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_bytes(data)
        after = os.times()
        print(f"round {number + 1}: {time.perf_counter() - begun:.2f} s wall, {after.user - before.user:.2f} s user, "
              f"{after.system - before.system:.2f} s system", flush=True)
    shutil.rmtree(args.root, ignore_errors=True)


if __name__ == "__main__":
    main()
