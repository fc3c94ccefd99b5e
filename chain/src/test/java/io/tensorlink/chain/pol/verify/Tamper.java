package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.web3j.crypto.Credentials;

/** A cheating worker's records: one field changed, re-signed with the key of the record's worker. */
final class Tamper {
  private Tamper() {}

  static StepRecord with(final StepRecord r, final String field, final Object value) {
    try {
      final RecordComponent[] c = StepRecord.class.getRecordComponents();
      final Object[] args = new Object[c.length];
      boolean found = false;
      for (int i = 0; i < c.length; i++) {
        args[i] = c[i].getName().equals(field) ? value : c[i].getAccessor().invoke(r);
        found |= c[i].getName().equals(field);
      }
      if (!found) {
        throw new IllegalArgumentException("no field " + field);
      }
      return StepRecord.class.getDeclaredConstructor(Arrays.stream(c).map(RecordComponent::getType)
          .toArray(Class<?>[]::new)).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static SignedStepRecord resign(final StepRecord r) {
    return SignedStepRecord.sign(r, TestKeys.DOMAIN, key(r.worker()));
  }

  static SignedStepRecord signedWith(final StepRecord r, final String field, final Object value) {
    return resign(with(r, field, value));
  }

  static Credentials key(final EthAddress a) {
    return TestKeys.ANVIL.stream().filter(c -> c.getAddress().equalsIgnoreCase(a.toString())).findFirst().orElseThrow();
  }
}
