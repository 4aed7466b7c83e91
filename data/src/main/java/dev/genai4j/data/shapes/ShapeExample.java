package dev.genai4j.data.shapes;

/**
 * One generated example: its index in the stream, the scene, its caption, and the seed its
 * point cloud and camera draws use (so any example can be redrawn on its own).
 */
public record ShapeExample(long index, Scene scene, String caption, long seed) {}
