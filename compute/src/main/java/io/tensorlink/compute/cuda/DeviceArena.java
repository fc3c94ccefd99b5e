package io.tensorlink.compute.cuda;

/**
 * Grow-only device buffers by slot, so a training step's many same-sized calls reuse memory
 * instead of paying cudaMalloc each time. The arena owns every buffer it hands out and frees
 * them all on {@link #close()}; a buffer is valid until the next {@link #get} of its slot.
 */
final class DeviceArena implements AutoCloseable {

  private final DeviceBuffer[] slots;

  DeviceArena(final int slotCount) {
    this.slots = new DeviceBuffer[slotCount];
  }

  /** A buffer of at least {@code floats} (at least one) for {@code slot}. */
  DeviceBuffer get(final int slot, final long floats) {
    final long need = Math.max(1, floats);
    final DeviceBuffer current = slots[slot];
    if (current != null && current.capacity() >= need) {
      return current;
    }
    if (current != null) {
      current.close();
      slots[slot] = null;
    }
    // Grow by half again so slowly rising sizes do not reallocate every call.
    final DeviceBuffer fresh = new DeviceBuffer(current == null ? need : Math.max(need, current.capacity() * 3 / 2));
    slots[slot] = fresh;
    return fresh;
  }

  @Override
  public void close() {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null) {
        slots[i].close();
        slots[i] = null;
      }
    }
  }
}
