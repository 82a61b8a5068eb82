"""Two moto 5.2.5 costs the local engine removes, without changing what moto answers.

- **An RSA key for every KMS key.** moto's ``KmsKey`` generates a private key when it is created; for a
  ``SYMMETRIC_DEFAULT`` (or HMAC) key spec it falls through to an RSA-2048 key (``moto/kms/utils.py``,
  ``generate_private_key``), which only the asymmetric operations (Sign, Verify, GetPublicKey) ever read. That is
  about 40 ms of CPU per key, and every example endpoint has a key. The engine makes that key on first use instead.
- **PyYAML's pure-Python parser for JSON templates.** moto's CloudFormation parses every template body with
  ``yaml.load(..., Loader=yaml.Loader)`` and falls back to JSON only when that fails (``Stack.parse_template``,
  ``ChangeSet._parse_template``, ``responses.get_template_summary``); a synthesized CDK template is JSON, which
  ``json.loads`` reads about 50 times faster into the same dict. The engine tries JSON first (what CloudFormation
  itself does with a JSON body) and gives anything else to PyYAML as before.

``tests/deploy/test_moto_workarounds.py`` checks that moto still does both (so this module can go when it stops) and
that the JSON-first parse gives the same template as PyYAML for every example stack.
"""

from __future__ import annotations

import functools
import json
from typing import Any

__all__ = ["install"]

#: Key specs moto's generate_private_key handles itself; every other spec falls through to an RSA-2048 key.
_ASYMMETRIC_PREFIXES = ("RSA_", "ECC_")


class _LazyPrivateKey:
    """Stands for the private key moto would have generated; generates it on first use."""

    def __init__(self, make: Any, key_spec: str) -> None:
        self._make = make
        self._key_spec = key_spec
        self._key: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._key is None:
            self._key = self._make(self._key_spec)
        return getattr(self._key, name)


class _JsonFirstYaml:
    """The ``yaml`` module as moto's CloudFormation uses it, with ``load`` reading JSON text as JSON."""

    def __init__(self, yaml_module: Any) -> None:
        self._yaml = yaml_module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._yaml, name)

    def load(self, stream: Any, Loader: Any = None) -> Any:  # noqa: N803 (PyYAML's keyword)
        if isinstance(stream, str | bytes) and stream.lstrip()[:1] in ("{", b"{"):
            try:
                return json.loads(stream)
            except ValueError:
                pass  # YAML flow style, or not a template at all: PyYAML decides, as before
        return self._yaml.load(stream, Loader=Loader)


@functools.cache
def install() -> None:
    """Apply both changes to the imported moto (once per process; the local engine calls it before moto starts)."""
    import importlib

    yaml = importlib.import_module("yaml")  # PyYAML, moto's dependency (no type stubs installed)
    cfn_models = importlib.import_module("moto.cloudformation.models")
    cfn_responses = importlib.import_module("moto.cloudformation.responses")
    kms_models = importlib.import_module("moto.kms.models")

    original = kms_models.generate_private_key

    def generate_private_key(key_spec: str) -> Any:
        if key_spec.startswith(_ASYMMETRIC_PREFIXES):
            return original(key_spec)
        return _LazyPrivateKey(original, key_spec)

    setattr(kms_models, "generate_private_key", generate_private_key)  # noqa: B010 (a module moto's code reads)
    shim = _JsonFirstYaml(yaml)
    for module in (cfn_models, cfn_responses):
        setattr(module, "yaml", shim)  # noqa: B010
