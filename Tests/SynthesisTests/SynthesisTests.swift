// SynthesisTests
