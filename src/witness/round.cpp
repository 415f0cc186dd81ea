#include "witness/round.h"

namespace bulwark::witness {
namespace {

// An alarm is stored before it is reported, so that a restart does not forget it.
Result<RoundReport> alarm_stored(const Witness& witness, const StateSaver& save) {
  BULWARK_TRY(save(witness.state()));
  return RoundReport{RoundOutcome::alarm, witness.state().size};
}

}  // namespace

Result<RoundReport> run_round(Witness& witness, LogSource& source, const StateSaver& save) {
  if (witness.in_alarm()) return RoundReport{RoundOutcome::alarm, witness.state().size};
  const EntryFetcher fetch = [&source](std::uint64_t index) { return source.entry(index); };
  const auto note = BULWARK_TRY(source.latest_checkpoint());
  // The signed head before the entries: after a restart, a log truncated below the size last
  // cosigned fails restore() only with a missing entry. Other errors are observe()'s to report.
  if (note && !witness.check_head(*note) && witness.in_alarm()) return alarm_stored(witness, save);
  if (auto restored = witness.restore(fetch); !restored) {
    if (witness.in_alarm()) return alarm_stored(witness, save);
    return tl::unexpected(restored.error());
  }
  if (!note || witness.is_last_cosigned(*note)) return RoundReport{};

  auto cosignature = witness.observe(*note, fetch);
  if (!cosignature) {
    if (witness.in_alarm()) return alarm_stored(witness, save);
    return tl::unexpected(cosignature.error());
  }
  BULWARK_TRY(save(witness.state()));
  BULWARK_TRY(source.submit_cosignature(cosignature->checkpoint.size, cosignature->line));
  return RoundReport{RoundOutcome::cosigned, cosignature->checkpoint.size};
}

}  // namespace bulwark::witness
