package org.latentstudio.compiler;

import java.nio.file.Path;

/**
 * An ONNX graph compiled from a checkpoint's component: the serialized {@code ModelProto} (kilobytes: it holds
 * no weights) and the folder its external weights are relative to. A session created from it reads the
 * weights from the user's own file.
 *
 * @param role         "text encoder", "UNet", "VAE decoder", ...
 * @param weightsFolder where the weight files named by the graph's external data live
 */
public record CompiledGraph(String role, byte[] onnx, Path weightsFolder) {}
