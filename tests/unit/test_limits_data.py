"""The shipped copies of botocore's API shapes (tools/extract_api_shapes.py) are what the installed botocore says, and
``_limits`` reads them without importing botocore when the versions match."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_shapes_match_the_installed_botocore() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "extract_api_shapes.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_limits_answer_from_the_shipped_shapes_without_importing_botocore() -> None:
    code = (
        "import sys\n"
        "from cdk_sagemaker import _limits\n"
        "assert 'ml.m5.large' in _limits.enum('ProductionVariantInstanceType')\n"
        "assert _limits.bounds('TaskCount') == (0, None)\n"
        "assert _limits.enum('MetricType', service='application-autoscaling')\n"
        "print('botocore' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_the_copy_is_used_only_for_the_botocore_version_it_was_made_from() -> None:
    import botocore

    from cdk_sagemaker import _limits

    assert _limits._shipped_shapes("sagemaker", botocore.__version__) is not None
    assert _limits._shipped_shapes("sagemaker", "0.0.1") is None  # another botocore: _limits loads botocore's model
    assert _limits._shipped_shapes("no-such-service", botocore.__version__) is None
