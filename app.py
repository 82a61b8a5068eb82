#!/usr/bin/env python3
"""The example app: every stack in cdk_sagemaker.stacks.STACKS (or the subset named by ``-c stacks=A,B``)."""

from __future__ import annotations

from cdk_sagemaker.app import build_app

build_app().synth()
