"""`rasa data validate --fail-on-warnings`, knowing that custom actions send responses too.

Rasa's validator warns about every response that no story or rule names, including the ones our
custom actions send with `dispatcher.utter_message(response=...)`. This runs the same validation
after telling the validator which responses the code in actions/ and bot/ uses, so that a
response nobody sends still fails the check.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESPONSE_NAME = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")


def responses_sent_by_code() -> set[str]:
    """Responses named in actions/ and bot/ that no story or rule names."""
    names: set[str] = set()
    for folder in ("actions", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(RESPONSE_NAME.findall(path.read_text(encoding="utf-8")))
    in_data = set()
    for path in (ROOT / "data").glob("*.yml"):
        in_data |= set(re.findall(r"\b(utter_[a-z0-9_]+)\b", path.read_text(encoding="utf-8")))
    return names - in_data


def main() -> int:
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    sent = responses_sent_by_code()
    gather = Validator._gather_utterance_actions

    def gather_unsent(self: Validator) -> set[str]:
        return set(gather(self)) - sent

    Validator._gather_utterance_actions = gather_unsent  # type: ignore[method-assign]
    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"), domain_path=str(ROOT / "domain.yml"),
        training_data_paths=[str(ROOT / "data")],
    )
    validate_files(fail_on_warnings=True, max_history=None, importer=importer)
    print(f"training data and domain are valid ({len(sent)} responses are sent by custom actions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
