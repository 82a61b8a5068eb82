#!/usr/bin/env python3
"""The example app: every stack in cdk_sagemaker.stacks.STACKS (or the subset named by ``-c stacks=A,B``)."""

from __future__ import annotations

import sys

from cdk_sagemaker import ValidationError
from cdk_sagemaker.app import build_app

try:
    app = build_app()
except ValidationError as err:  # e.g. -c stacks=Unknown: one line that lists the known stacks, no traceback
    sys.exit(f"error: {err}")
app.synth()
