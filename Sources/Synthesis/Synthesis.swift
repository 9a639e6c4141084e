// Synthesis: Tightened least-privilege policy synthesis.
