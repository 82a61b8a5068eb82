"""Two moto 5.2.5 costs the local engine removes.

- **An RSA key for every KMS key.** moto's ``KmsKey`` generates a private key when it is created; for any key spec
  but ``RSA_*`` and ``ECC_*`` (``SYMMETRIC_DEFAULT``, ``HMAC_*``, ``SM2``) it falls through to an RSA-2048 key
  (``moto/kms/utils.py``, ``generate_private_key``), which only the asymmetric operations (Sign, Verify,
  GetPublicKey) ever read. That is about 40 ms of CPU per key, and every example endpoint has a key. The engine makes
  that key on first use instead (under a lock: moto's server answers requests on several threads); what moto answers
  does not change.
- **PyYAML's pure-Python parser for JSON templates.** moto's CloudFormation parses every template body with
  ``yaml.load(..., Loader=yaml.Loader)`` and falls back to JSON only when that fails (``Stack.parse_template``,
  ``ChangeSet._parse_template``, ``responses.get_template_summary``); a synthesized CDK template is JSON, which
  ``json.loads`` reads about 50 times faster. The engine tries JSON first for a body that starts with ``{`` and gives
  anything else to PyYAML as before. For a JSON body the result is PyYAML's except where YAML 1.1 and JSON read the
  same text differently: a number with an exponent but no dot (``1e-07``, which JavaScript's ``JSON.stringify``
  writes for small and very large numbers) is a number in JSON and a string in PyYAML, and likewise ``NaN`` and
  escaped surrogate pairs. There the engine now reads what CloudFormation reads from a JSON template.

Both are applied once per process, when the local engine first starts moto, and only to the moto version they were
checked against (:data:`CHECKED_MOTO`): another moto is left as it is. They stay in place for the rest of the process
(other moto tests in the same process see them too). ``tests/deploy/test_moto_workarounds.py`` checks that moto still
does both (so this module can go when it stops), that the lazy key answers as moto's own, and that the JSON-first
parse equals PyYAML's for every example template.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

__all__ = ["CHECKED_MOTO", "install"]

#: The moto version both changes were written and tested against.
CHECKED_MOTO = "5.2.5"

#: Key specs moto's generate_private_key handles itself; every other spec falls through to an RSA-2048 key.
_ASYMMETRIC_PREFIXES = ("RSA_", "ECC_")


#: One lock for every lazy key (a key is generated at most once; a per-key lock could not be deep-copied).
_GENERATING = threading.Lock()


class _LazyPrivateKey:
    """Stands for the private key moto would have generated; generates it on first use."""

    def __init__(self, make: Any, key_spec: str) -> None:
        self._make = make
        self._key_spec = key_spec
        self._key: Any = None

    def __getattr__(self, name: str) -> Any:
        # Only the key's public attributes are delegated: copy, deepcopy and pickle probe dunder and private names on
        # an instance whose __init__ has not run, which must fail (AttributeError) instead of recursing.
        if name.startswith("_"):
            raise AttributeError(name)
        with _GENERATING:
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
def install() -> bool:
    """Apply both changes to the imported moto, once per process, if it is :data:`CHECKED_MOTO`; return whether they
    were applied. The local engine calls it before it starts moto."""
    import importlib

    moto = importlib.import_module("moto")
    if getattr(moto, "__version__", None) != CHECKED_MOTO:
        return False
    yaml = importlib.import_module("yaml")  # PyYAML, moto's dependency (no type stubs installed)
    cfn_models = importlib.import_module("moto.cloudformation.models")
    cfn_responses = importlib.import_module("moto.cloudformation.responses")
    kms_models = importlib.import_module("moto.kms.models")

    original = kms_models.generate_private_key

    def generate_private_key(key_spec: str) -> Any:
        if key_spec.startswith(_ASYMMETRIC_PREFIXES):
            return original(key_spec)
        return _LazyPrivateKey(original, key_spec)

    # setattr: mypy does not let a module attribute be assigned (the modules are typed as ModuleType here).
    setattr(kms_models, "generate_private_key", generate_private_key)  # noqa: B010
    shim = _JsonFirstYaml(yaml)
    for module in (cfn_models, cfn_responses):
        setattr(module, "yaml", shim)  # noqa: B010
    return True
