package io.tensorlink.chain.devnet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An exclusive lock on a file in the data dir, held across processes (an OS file lock) and across
 * threads of one JVM (which the OS lock does not separate: it throws, and we wait). Released by
 * {@link #close}, or by the OS when the process dies.
 */
final class DataDirLock implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 50;

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(final FileChannel channel, final FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(final Path file) {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      Files.createDirectories(file.getParent());
      final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        while (true) {
          try {
            return new DataDirLock(channel, channel.lock());
          } catch (OverlappingFileLockException e) {
            if (System.nanoTime() > deadline) {
              throw new DevnetException("another devnet command of this JVM holds " + file + " for over " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(POLL_MILLIS);
          }
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        channel.close();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw e instanceof DevnetException d ? d : new DevnetException("cannot lock " + file + ": " + e.getMessage());
      }
    } catch (IOException e) {
      throw new DevnetException("cannot lock " + file + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new DevnetException("cannot release the devnet lock: " + e.getMessage());
    }
  }
}
