"""onnxruntime natively on the exported generator, on one thread and on every
core, timed as `model`'s bench times burn: the hand-drawn reference doodle,
every style in turn, a warm-up, then RUNS paintings each. Writes JSON for
docs/benchmarks.md.

    python bench/onnx_native.py target/bench [runs]
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime
from safetensors import safe_open


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with safe_open(folder / "reference.safetensors", "np") as f:
        doodle = f.get_tensor("doodle")
    results = []
    for threads in sorted({1, os.cpu_count() or 1}):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(folder / "generator.onnx"), options, providers=["CPUExecutionProvider"])
        feeds = lambda style: {"doodle": doodle, "style": np.array(style % 6, dtype=np.int64)}
        for style in range(3):
            session.run(None, feeds(style))
        millis = []
        for i in range(runs):
            started = time.perf_counter()
            session.run(None, feeds(i))
            millis.append((time.perf_counter() - started) * 1000)
        millis.sort()
        result = {"threads": threads, "n": runs, "median": statistics.median(millis), "min": millis[0], "p90": millis[int(0.9 * runs)], "max": millis[-1]}
        print(f"onnxruntime {onnxruntime.__version__}, {threads} thread(s): median {result['median']:.1f} ms, min {result['min']:.1f}, max {result['max']:.1f} ({runs} paintings)")
        results.append(result)
    out = folder / "native-onnxruntime.json"
    out.write_text(json.dumps({"runtime": f"onnxruntime {onnxruntime.__version__} (PyPI)", "results": results}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
