package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.tensor.GradCheck.check;
import static dev.genai4j.tensor.GradCheck.input;
import static dev.genai4j.tensor.TensorAssert.*;

/** Finite-difference gradient checks of views, copies, matmul, indexing and joining ops. */
class GradCheckShapeIndexTest {
    @Test
    void views() {
        check("reshape", in -> in.get(0).reshape(3, 4), input(1, 2, 6));
        check("reshape of transpose", in -> in.get(0).transpose(0, 1).reshape(-1), input(1, 2, 6));
        check("flatten", in -> in.get(0).flatten(0, 1), input(1, 2, 3, 2));
        check("permute", in -> in.get(0).permute(2, 0, 1), input(2, 2, 3, 4));
        check("transpose", in -> in.get(0).transpose(0, 2), input(2, 2, 3, 4));
        check("mT", in -> in.get(0).mT(), input(2, 2, 3, 4));
        check("narrow", in -> in.get(0).narrow(1, 1, 2), input(3, 2, 4));
        check("slice", in -> in.get(0).slice(1, -3, -1), input(3, 2, 4));
        check("select", in -> in.get(0).select(0, 1), input(4, 3, 2));
        check("select negative", in -> in.get(0).select(-1, -1), input(4, 3, 2));
        check("expand", in -> in.get(0).expand(4, 2, 3), input(5, 2, 1));
        check("expand new axes", in -> in.get(0).expand(2, 3, 3), input(5, 3));
        check("unsqueeze", in -> in.get(0).unsqueeze(1), input(6, 2, 3));
        check("unsqueeze of transpose", in -> in.get(0).transpose(0, 1).unsqueeze(-1), input(6, 2, 3));
        check("squeeze", in -> in.get(0).squeeze(1), input(7, 2, 1, 3));
        check("copy", in -> in.get(0).transpose(0, 1).copy(), input(8, 2, 3));
        check("contiguous", in -> in.get(0).transpose(0, 1).contiguous(), input(8, 2, 3));
        check("flip", in -> in.get(0).flip(0, 2), input(9, 2, 3, 2));
        check("repeatInterleave", in -> in.get(0).repeatInterleave(3, 1), input(10, 2, 2, 3));
        check("repeat", in -> in.get(0).repeat(2, 1, 3), input(11, 2, 2));
        check("pad", in -> in.get(0).pad(new int[]{1, 2, 0, 1}, 0.5f), input(12, 2, 3));
        check("pad cropping", in -> in.get(0).pad(new int[]{-1, 2}, 0f), input(13, 2, 3));
        check("chained views", in -> in.get(0).permute(1, 0, 2).narrow(0, 1, 2).select(2, 0).expand(3, 2, 2), input(14, 2, 3, 2));
    }

    @Test
    void matmulAllShapes() {
        check("1-d · 1-d", in -> in.get(0).matmul(in.get(1)), input(1, 4), input(2, 4));
        check("1-d · 2-d", in -> in.get(0).matmul(in.get(1)), input(1, 4), input(2, 4, 3));
        check("2-d · 1-d", in -> in.get(0).matmul(in.get(1)), input(1, 3, 4), input(2, 4));
        check("2-d · 2-d", in -> in.get(0).matmul(in.get(1)), input(1, 3, 4), input(2, 4, 2));
        check("batched", in -> in.get(0).matmul(in.get(1)), input(1, 2, 3, 4), input(2, 2, 4, 2));
        check("broadcast batch", in -> in.get(0).matmul(in.get(1)), input(1, 2, 1, 2, 3), input(2, 3, 3, 2));
        check("weight shared over batch", in -> in.get(0).matmul(in.get(1)), input(1, 2, 3, 4), input(2, 4, 2));
        check("transposed operands", in -> in.get(0).mT().matmul(in.get(1).mT()), input(1, 4, 3), input(2, 2, 4));
        check("vector · batch", in -> in.get(0).matmul(in.get(1)), input(1, 3), input(2, 2, 3, 2));
    }

    @Test
    void gatherScatterIndexSelect() {
        Tensor idx = t(f(2, 0, 1, 1, 0, 0), 2, 3);
        check("gather 1", in -> in.get(0).gather(1, idx), input(1, 2, 3));
        check("gather 0 smaller index", in -> in.get(0).gather(0, t(f(1, 0, 1, 1), 2, 2)), input(2, 3, 3));
        check("gather repeated", in -> in.get(0).gather(1, t(f(0, 0, 0), 1, 3)), input(3, 2, 2));
        check("scatterAdd both inputs", in -> in.get(0).scatterAdd(1, idx, in.get(1)), input(4, 2, 3), input(5, 2, 3));
        check("scatterAdd axis 0", in -> in.get(0).scatterAdd(0, t(f(1, 1, 0), 1, 3), in.get(1)), input(6, 2, 3), input(7, 1, 3));
        check("indexSelect repeated", in -> in.get(0).indexSelect(0, 2, 0, 2, 2), input(8, 3, 2));
        check("indexSelect axis 1", in -> in.get(0).indexSelect(1, 1, 1), input(9, 2, 3, 2));
        check("indexSelect of transpose", in -> in.get(0).transpose(0, 1).indexSelect(0, 1, 0, 1), input(10, 2, 3));
    }

    @Test
    void catStackSplitChunk() {
        check("cat 0", in -> Tensor.cat(List.of(in.get(0), in.get(1)), 0), input(1, 1, 3), input(2, 2, 3));
        check("cat 1 strided", in -> Tensor.cat(List.of(in.get(0).transpose(0, 1), in.get(1)), 1), input(1, 2, 3), input(2, 3, 1));
        check("cat same tensor", in -> Tensor.cat(List.of(in.get(0), in.get(0).mul(2)), -1), input(3, 2, 2));
        check("stack 0", in -> Tensor.stack(List.of(in.get(0), in.get(1)), 0), input(4, 2, 3), input(5, 2, 3));
        check("stack last", in -> Tensor.stack(List.of(in.get(0), in.get(1)), 2), input(4, 2, 3), input(5, 2, 3));
        check("split", in -> {
            List<Tensor> p = in.get(0).split(new int[]{1, 3}, 1);
            return Tensor.cat(List.of(p.get(1).exp(), p.get(0).mul(3)), 1);
        }, input(6, 2, 4));
        check("chunk", in -> {
            List<Tensor> p = in.get(0).chunk(3, 0);
            return p.get(0).mul(p.get(1)).sum(0, false).add(p.get(2).sum());
        }, input(7, 5, 2));
    }
}
