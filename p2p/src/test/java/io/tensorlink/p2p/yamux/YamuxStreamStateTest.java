package io.tensorlink.p2p.yamux;

import static io.tensorlink.p2p.yamux.YamuxStream.Event.FIN_RECEIVED;
import static io.tensorlink.p2p.yamux.YamuxStream.Event.FIN_SENT;
import static io.tensorlink.p2p.yamux.YamuxStream.Event.NEGOTIATED;
import static io.tensorlink.p2p.yamux.YamuxStream.Event.RESET;
import static io.tensorlink.p2p.yamux.YamuxStream.State.CLOSED;
import static io.tensorlink.p2p.yamux.YamuxStream.State.NEGOTIATING;
import static io.tensorlink.p2p.yamux.YamuxStream.State.OPEN;
import static io.tensorlink.p2p.yamux.YamuxStream.State.READ_CLOSED;
import static io.tensorlink.p2p.yamux.YamuxStream.State.WRITE_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.p2p.yamux.YamuxStream.Event;
import io.tensorlink.p2p.yamux.YamuxStream.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream's transition function, every state against every event. */
class YamuxStreamStateTest {
  private static State run(final State start, final Event... events) {
    State s = start;
    for (final Event e : events) {
      s = YamuxStream.next(s, e);
    }
    return s;
  }

  @Test
  void halfClosesInEitherOrderEndClosed() {
    assertThat(run(NEGOTIATING, NEGOTIATED)).isEqualTo(OPEN);
    assertThat(run(OPEN, FIN_SENT)).isEqualTo(WRITE_CLOSED);
    assertThat(run(OPEN, FIN_RECEIVED)).isEqualTo(READ_CLOSED);
    assertThat(run(OPEN, FIN_SENT, FIN_RECEIVED)).isEqualTo(CLOSED);
    assertThat(run(OPEN, FIN_RECEIVED, FIN_SENT)).isEqualTo(CLOSED);
  }

  @Test
  void aFinDuringNegotiationResetsAndOursWaitsForTheProtocol() {
    assertThat(run(NEGOTIATING, FIN_RECEIVED)).isEqualTo(State.RESET);
    assertThat(run(NEGOTIATING, FIN_SENT)).isEqualTo(NEGOTIATING);
  }

  @Test
  void resetEndsEveryLiveStateAndTheEndStatesAreFinal() {
    for (final State s : List.of(NEGOTIATING, OPEN, WRITE_CLOSED, READ_CLOSED)) {
      assertThat(run(s, RESET)).as("reset from %s", s).isEqualTo(State.RESET);
    }
    for (final Event e : Event.values()) {
      assertThat(run(CLOSED, e)).isEqualTo(CLOSED);
      assertThat(run(State.RESET, e)).isEqualTo(State.RESET);
    }
  }

  @Test
  void repeatedOrLateEventsChangeNothing() {
    assertThat(run(WRITE_CLOSED, FIN_SENT)).isEqualTo(WRITE_CLOSED);
    assertThat(run(READ_CLOSED, FIN_RECEIVED)).isEqualTo(READ_CLOSED);
    assertThat(run(OPEN, NEGOTIATED)).isEqualTo(OPEN);
  }
}
