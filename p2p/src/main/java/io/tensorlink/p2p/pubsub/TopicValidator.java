package io.tensorlink.p2p.pubsub;

/**
 * Judges messages on one topic before they are delivered or forwarded. Runs on the router thread
 * for every first-seen message that passed signature checks: keep it fast and never block. A
 * validator that throws counts as {@link ValidationResult#REJECT}.
 */
@FunctionalInterface
public interface TopicValidator {
  ValidationResult validate(ReceivedMessage message);
}
