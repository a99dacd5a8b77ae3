"""The shipped generator as ONNX, for the peer benchmark only (the app never
uses it). Reads what `onnx-weights` wrote (burn's parameters as safetensors,
and burn's paintings of a hand-drawn doodle), builds the same network with
ONNX's operators (the layers of `model/src/generator.rs`, both versions),
checks that onnxruntime paints what burn paints, and writes
`generator.onnx`.

    python bench/onnx_export.py target/bench
"""

import json
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from safetensors import safe_open

# Largest difference allowed between burn's and onnxruntime's painting, in
# the network's [-1, 1] range: both compute in f32 from the same weights, so
# they differ only in summation order (1e-3 is a quarter of a pixel level).
TOLERANCE = 1e-3

# The enclosure's weights count this many times what burn stores
# (`ENCLOSURE_PACE` in model/src/generator.rs; the check below catches a
# mismatch).
ENCLOSURE_PACE = 10.0

# A residual block's correction counts this many times its last norm's
# output (`BLOCK_PACE`).
BLOCK_PACE = 10.0


class Graph:
    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initializers = {}
        self.count = 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def param(self, key):
        if key not in self.initializers:
            self.initializers[key] = numpy_helper.from_array(self.weights[key].astype(np.float32), key)
        return key

    def constant(self, hint, array):
        key = self.name(hint)
        self.initializers[key] = numpy_helper.from_array(array, key)
        return key

    def op(self, op_type, inputs, hint=None, **attrs):
        out = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def conv(self, x, prefix, stride=1, pads=(0, 0, 0, 0), bias=True):
        inputs = [x, self.param(f"{prefix}.weight")]
        if bias:
            inputs.append(self.param(f"{prefix}.bias"))
        kernel = list(self.weights[f"{prefix}.weight"].shape[2:])
        return self.op("Conv", inputs, kernel_shape=kernel, strides=[stride, stride], pads=list(pads))

    def conv_transpose(self, x, prefix):
        inputs = [x, self.param(f"{prefix}.weight"), self.param(f"{prefix}.bias")]
        return self.op("ConvTranspose", inputs, kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1])

    def pad(self, x, mode, value=None):
        pads = self.constant("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))
        inputs = [x, pads]
        if value is not None:
            inputs.append(self.constant("pad_value", np.array(value, dtype=np.float32)))
        return self.op("Pad", inputs, mode=mode)

    def style_norm(self, x, prefix, style):
        """Instance norm with the style's row of scale (offset from 1) and shift."""
        scale = self.op("Gather", [self.param(f"{prefix}.scale"), style], axis=0)
        scale = self.op("Add", [scale, self.constant("one", np.array(1.0, dtype=np.float32))])
        shift = self.op("Gather", [self.param(f"{prefix}.shift"), style], axis=0)
        return self.op("InstanceNormalization", [x, scale, shift], epsilon=1e-5)

    def block(self, x, prefix, style):
        """x plus two reflection-padded 3x3 convolutions, style-normalised (`Block`)."""
        y = self.conv(self.pad(x, "reflect"), f"{prefix}.first")
        y = self.op("Relu", [self.style_norm(y, f"{prefix}.first_norm", style)])
        y = self.conv(self.pad(y, "reflect"), f"{prefix}.second")
        y = self.op("Mul", [self.style_norm(y, f"{prefix}.second_norm", style), self.constant("pace", np.array(BLOCK_PACE, dtype=np.float32))])
        return self.op("Add", [x, y])

    def up(self, x, prefix, version):
        if version == 1:
            return self.conv_transpose(x, f"{prefix}.transposed")
        x = self.conv(x, f"{prefix}.mix")
        # burn computes this upsampling and convolution of its larger layers
        # as one transposed convolution (`upsampled_conv`, the same sums);
        # onnxruntime gets the plain form, which it ran as fast natively
        # (9.3 ms against 10.2 a painting on one thread, 2026-11-23).
        scales = self.constant("scales", np.array([1, 1, 2, 2], dtype=np.float32))
        x = self.op("Resize", [x, "", scales], mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
        return self.conv(self.pad(x, "reflect"), f"{prefix}.conv")


def input_channels(config):
    """The doodle's 3, and a fourth for a network that reads what its lines enclose."""
    return 4 if config.get("enclosure", False) else 3


def build(weights, config):
    """The generator's forward pass (`Generator::forward`) as an ONNX graph."""
    version, levels = config["version"], len(config["widths"])
    enclosure = input_channels(config) == 4
    g = Graph(weights)
    style = "style"
    # The input "doodle": the doodle, and for a network that reads it, what
    # its lines enclose as a fourth channel (`doodles_to_tensor`).
    doodle = "doodle"
    if enclosure:
        ends = lambda hint, values: g.constant(hint, np.array(values, dtype=np.int64))
        inside = g.op("Slice", [doodle, ends("starts", [3]), ends("ends", [4]), ends("axes", [1])])
        doodle = g.op("Slice", [doodle, ends("starts", [0]), ends("ends", [3]), ends("axes", [1])])
    x, skips = doodle, []
    for level in range(levels):
        prefix = f"downs.{level}"
        if version == 1:
            x = g.conv(x, f"{prefix}.conv", stride=2, pads=(1, 1, 1, 1))
        elif level == 0 and enclosure:
            # Blank paper beyond the edge, which encloses nothing; one
            # convolution over both, its weights side by side.
            x = g.op("Concat", [g.pad(x, "constant", 1.0), g.pad(inside, "constant", 0.0)], axis=1)
            weight = np.concatenate([weights[f"{prefix}.conv.weight"], weights["enclosure.weight"] * ENCLOSURE_PACE], axis=1)
            inputs = [x, g.constant("first_weight", weight.astype(np.float32)), g.param(f"{prefix}.conv.bias")]
            x = g.op("Conv", inputs, kernel_shape=[4, 4], strides=[2, 2], pads=[0, 0, 0, 0])
        else:
            # Beyond the doodle's edge lies more blank paper (white is 1).
            x = g.pad(x, "constant", 1.0) if level == 0 else g.pad(x, "reflect")
            x = g.conv(x, f"{prefix}.conv", stride=2)
        if level > 0:
            x = g.style_norm(x, f"{prefix}.norm", style)
        x = g.op("LeakyRelu", [x], alpha=0.2)
        skips.append(x)
    skips.pop()
    for i in range(levels - 1):
        if i > 0:
            x = g.op("Concat", [x, skips.pop()], axis=1)
        x = g.up(x, f"ups.{i}.up", version)
        x = g.op("Relu", [g.style_norm(x, f"ups.{i}.norm", style)])
        if i == config.get("blocks_level", 0):
            for b in range(config.get("blocks", 0)):
                x = g.block(x, f"blocks.{b}", style)
    x = g.up(g.op("Concat", [x, skips.pop()], axis=1), "out", version)
    if version > 1:
        x = g.op("Add", [x, g.conv(g.pad(doodle, "reflect"), "out_doodle", bias=False)])
    x = g.op("Tanh", [x])
    g.nodes[-1].output[0] = "painting"

    inputs = [
        helper.make_tensor_value_info("doodle", TensorProto.FLOAT, [1, input_channels(config), 256, 256]),
        helper.make_tensor_value_info("style", TensorProto.INT64, []),
    ]
    outputs = [helper.make_tensor_value_info("painting", TensorProto.FLOAT, [1, 3, 256, 256])]
    graph = helper.make_graph(g.nodes, "generator", inputs, outputs, list(g.initializers.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="doodle-paint onnx_export.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    with safe_open(folder / "generator.safetensors", "np") as f:
        config = json.loads(f.metadata()["config"])
        weights = {key: f.get_tensor(key) for key in f.keys()}
    model = build(weights, config)
    path = folder / "generator.onnx"
    onnx.save(model, path)

    with safe_open(folder / "reference.safetensors", "np") as f:
        doodle_name = f.metadata()["doodle"]
        reference = {key: f.get_tensor(key) for key in f.keys()}
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for style in range(config["styles"]):
        (painting,) = session.run(None, {"doodle": reference["doodle"], "style": np.array(style, dtype=np.int64)})
        worst = max(worst, float(np.abs(painting - reference[f"painting.{style}"]).max()))
    print(f"wrote {path} (version {config['version']}, {path.stat().st_size} bytes); "
          f"onnxruntime {onnxruntime.__version__} against burn on the hand-drawn doodle {doodle_name!r}, "
          f"{config['styles']} styles: largest difference {worst:.2e} (tolerance {TOLERANCE:.0e})")
    check = {"version": config["version"], "input_channels": input_channels(config), "doodle": doodle_name, "styles": config["styles"], "largest_difference": worst,
             "tolerance": TOLERANCE, "onnxruntime": onnxruntime.__version__, "onnx_bytes": path.stat().st_size}
    (folder / "onnx-check.json").write_text(json.dumps(check, indent=2))
    if not worst <= TOLERANCE:
        sys.exit("onnx_export: onnxruntime does not paint what burn paints")


if __name__ == "__main__":
    main()
