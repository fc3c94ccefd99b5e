package io.tensorlink.compute.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.ParamSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecsTest {
  private static final Path MODELS = Path.of("..", "models");

  @Test
  void shippedMlpHasTheDocumentedShapesAndNames() {
    final Model mlp = ModelFactory.load(MODELS.resolve("mlp.json"));
    assertThat(mlp.paramSpecs()).extracting(ParamSpec::toString).containsExactly(
        "fc1.weight[512, 784]", "fc1.bias[512]", "fc2.weight[512, 512]", "fc2.bias[512]", "fc3.weight[10, 512]",
        "fc3.bias[10]");
    assertThat(mlp.outputShape()).containsExactly(10);
  }

  @Test
  void shippedCnnAndGptBuild() {
    final Model cnn = ModelFactory.load(MODELS.resolve("cnn.json"));
    assertThat(cnn.paramSpecs()).extracting(ParamSpec::toString).containsExactly(
        "conv1.weight[32, 1, 3, 3]", "conv1.bias[32]", "conv2.weight[64, 32, 3, 3]", "conv2.bias[64]",
        "fc1.weight[128, 3136]", "fc1.bias[128]", "fc2.weight[10, 128]", "fc2.bias[10]");
    final Model gpt = ModelFactory.load(MODELS.resolve("gpt-char.json"));
    assertThat(gpt.outputShape()).containsExactly(64, 128);
    assertThat(gpt.paramSpecs().get(2).name()).isEqualTo("h0_attn.ln.weight");
    assertThat(gpt.paramSpecs()).extracting(ParamSpec::name).contains("h1_attn.attn.qkv.weight", "h1_mlp.proj.bias");
  }

  @Test
  void canonicalFormIgnoresKeyOrderWhitespaceAndSpelledOutDefaults() {
    final String a = """
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"linear","name":"fc","out":3}]}""";
    final String b = """
        { "layers" : [ { "out" : 3, "bias": true, "name" : "fc", "type" : "linear" } ],
          "loss" : "mse", "input" : [ 4 ], "name" : "m" }""";
    final ModelSpec sa = ModelSpecs.parse(a);
    assertThat(ModelSpecs.canonicalJson(sa)).isEqualTo(
        "{\"input\":[4],\"layers\":[{\"bias\":true,\"name\":\"fc\",\"out\":3,\"type\":\"linear\"}],"
            + "\"loss\":\"mse\",\"name\":\"m\"}");
    assertThat(ModelSpecs.specHash(ModelSpecs.parse(b))).isEqualTo(ModelSpecs.specHash(sa));
    assertThat(ModelSpecs.specHash(sa))
        .isEqualTo(Keccak.keccak256(ModelSpecs.canonicalJson(sa).getBytes(StandardCharsets.UTF_8)));
    final String c = a.replace("\"out\":3", "\"out\":4");
    assertThat(ModelSpecs.specHash(ModelSpecs.parse(c))).isNotEqualTo(ModelSpecs.specHash(sa));
  }

  @Test
  void canonicalFormRoundTrips() {
    final ModelSpec gpt = ModelSpecs.read(MODELS.resolve("gpt-char.json"));
    final ModelSpec again = ModelSpecs.parse(ModelSpecs.canonicalJson(gpt));
    assertThat(again).isEqualTo(gpt);
    assertThat(ModelSpecs.canonicalJson(again)).isEqualTo(ModelSpecs.canonicalJson(gpt));
  }

  @Test
  void shapeErrorsNameTheLayerAndTheShapes() {
    assertThatThrownBy(() -> build("""
        {"name":"bad","input":[3,28,28],"loss":"cross_entropy","layers":[
          {"type":"flatten","name":"flat"}, {"type":"conv2d","name":"conv","out":4,"kernel":3}]}"""))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("layer 'conv' (conv2d)").hasMessageContaining("[2352]");
    assertThatThrownBy(() -> build("""
        {"name":"bad","input":[3,28,28],"loss":"cross_entropy","layers":[
          {"type":"linear","name":"fc","out":10}, {"type":"layernorm","name":"ln"},
          {"type":"embedding","name":"emb","vocab":5,"dim":4}]}"""))
        .hasMessageContaining("layer 'emb' (embedding): input shape [3, 28, 10] must be [tokens]");
    assertThatThrownBy(() -> build("""
        {"name":"bad","input":[1,4,4],"loss":"cross_entropy","layers":[
          {"type":"maxpool2d","name":"pool","kernel":5}]}"""))
        .hasMessageContaining("layer 'pool' (maxpool2d): input shape [1, 4, 4] is smaller than the pooling window 5");
    assertThatThrownBy(() -> build("""
        {"name":"bad","input":[6,8],"loss":"cross_entropy","layers":[
          {"type":"residual","name":"blk","layers":[{"type":"linear","name":"fc","out":5}]}]}"""))
        .hasMessageContaining("layer 'blk' (residual)").hasMessageContaining("[6, 5]");
    assertThatThrownBy(() -> build("""
        {"name":"bad","input":[6,10],"loss":"cross_entropy","layers":[
          {"type":"attention","name":"attn","heads":3}]}"""))
        .hasMessageContaining("layer 'attn' (attention)").hasMessageContaining("dim 10").hasMessageContaining("[6, 10]");
  }

  @Test
  void malformedSpecsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"linear","name":"fc"}]}"""))
        .hasMessageContaining("layer 'fc' (linear): missing 'out'");
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"linear","name":"fc","out":2,"outs":3}]}"""))
        .hasMessageContaining("outs");
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"softplus","name":"s"}]}"""))
        .hasMessageContaining("softplus");
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"hinge","layers":[{"type":"relu","name":"r"}]}"""))
        .hasMessageContaining("'loss' must be cross_entropy or mse, got hinge");
    assertThatThrownBy(() -> build("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"relu","name":"r"},{"type":"relu","name":"r"}]}"""))
        .hasMessageContaining("duplicate layer name 'r'");
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"dropout","name":"d","p":1.0}]}"""))
        .hasMessageContaining("layer 'd' (dropout): 'p' must be in [0, 1)");
    assertThatThrownBy(() -> ModelSpecs.read(Path.of("no-such-spec.json"))).hasMessageContaining("no-such-spec.json");
  }

  @Test
  void anIntegerFieldRejectsAFractionAndErrorsNameLineFieldAndExpectation(@TempDir final Path dir) throws Exception {
    final Path file = Files.writeString(dir.resolve("m.json"), """
        {"name":"m","input":[4],"loss":"mse",
         "layers":[{"type":"linear","name":"fc","out":1.5}]}""");
    assertThatThrownBy(() -> ModelSpecs.read(file))
        .hasMessage(file + ": line 2, column 47: layers[0].out: expected an integer, got 1.5");
    assertThatThrownBy(() -> ModelSpecs.parse("{\"name\":\"m\",\n\"input\":[4],}"))
        .hasMessageStartingWith("line 2, column 13: ").hasMessageNotContaining("Source").hasMessageNotContaining("CoercionConfig");
    assertThatThrownBy(() -> ModelSpecs.parse("""
        {"name":"m","input":[4],"loss":"mse","layers":[{"type":"linear","name":"fc","out":2,"outs":3}]}"""))
        .hasMessageContaining("layers[0]").hasMessageContaining("unknown field 'outs'");
  }

  private static Model build(final String json) {
    return ModelFactory.build(ModelSpecs.parse(json));
  }
}
