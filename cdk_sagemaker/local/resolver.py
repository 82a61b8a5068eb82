"""Resolve CloudFormation intrinsic functions in a template fragment, offline.

The resolver is pure: it knows the template (Conditions, Mappings, Parameters, Resources) and asks its callers for
everything else (the physical id behind a ``Ref``, an attribute behind ``Fn::GetAtt``, an export behind
``Fn::ImportValue``). The deploy engine uses it to create, through the service APIs, the resources moto's
CloudFormation skips.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

PSEUDO_PARAMETERS = (
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
)
NO_VALUE: Any = object()
"""Marker for ``{"Ref": "AWS::NoValue"}``; removed from mappings and lists by :meth:`Resolver.resolve`."""

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_CONDITION_FUNCTIONS = ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition")


class UnresolvableError(Exception):
    """An intrinsic function could not be resolved (undefined name, unknown attribute, unsupported function)."""


RefLookup = Callable[[str], Any]
GetAttLookup = Callable[[str, str], Any]
ImportLookup = Callable[[str], Any]


def _no_imports(name: str) -> Any:
    raise UnresolvableError(f"Fn::ImportValue {name!r}: no exports are known")


class Resolver:
    """Resolves intrinsic functions of one template.

    ``parameters`` are the stack's parameter values (strings, as CloudFormation passes them); ``pseudo`` the pseudo
    parameters (``AWS::Region`` ...); ``ref(logical_id)`` and ``get_att(logical_id, attribute)`` return values of
    resources; ``import_value(name)`` the value of an export.
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        parameters: Mapping[str, str],
        pseudo: Mapping[str, Any],
        ref: RefLookup,
        get_att: GetAttLookup,
        import_value: ImportLookup = _no_imports,
    ) -> None:
        self._template = template
        self._resources: Mapping[str, Any] = template.get("Resources", {})
        self._declared: Mapping[str, Any] = template.get("Parameters", {})
        self._parameters = parameters
        self._pseudo = pseudo
        self._ref = ref
        self._get_att = get_att
        self._import_value = import_value
        self._conditions: dict[str, bool] = {}

    # --- conditions -------------------------------------------------------------------------------------------
    def condition(self, name: str) -> bool:
        """The value of the template condition ``name``."""
        if name not in self._conditions:
            definitions: Mapping[str, Any] = self._template.get("Conditions", {})
            if name not in definitions:
                raise UnresolvableError(f"condition {name!r} is not defined")
            self._conditions[name] = self._truth(definitions[name])
        return self._conditions[name]

    def _truth(self, value: Any) -> bool:
        result = self.resolve(value)
        if isinstance(result, bool):
            return result
        if isinstance(result, str) and result.lower() in ("true", "false"):
            return result.lower() == "true"
        raise UnresolvableError(f"condition value {result!r} is not a boolean")

    def resource_enabled(self, logical_id: str) -> bool:
        """False when the resource has a ``Condition`` that evaluates to false."""
        name = self._resources.get(logical_id, {}).get("Condition")
        return True if name is None else self.condition(name)

    # --- values -----------------------------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic function replaced by its result and ``AWS::NoValue`` removed."""
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if isinstance(value, dict):
            if len(value) == 1:
                ((key, argument),) = value.items()
                if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                    return self._function(key, argument)
            resolved = {key: self.resolve(item) for key, item in value.items()}
            return {key: item for key, item in resolved.items() if item is not NO_VALUE}
        return value

    def _function(self, name: str, argument: Any) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            raise UnresolvableError(f"{name} is not supported by the local resolver")
        return handler(self, argument)

    def _reference(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self._pseudo:
            return self._pseudo[name]
        if name in self._declared:
            value = self._parameters.get(name, self._declared[name].get("Default"))
            if value is None:
                raise UnresolvableError(f"parameter {name!r} has no value")
            if str(self._declared[name].get("Type", "")).startswith(("List<", "CommaDelimitedList")):
                return [item.strip() for item in str(value).split(",")]
            return value
        if name in self._resources:
            return self._ref(name)
        raise UnresolvableError(f"Ref to undefined {name!r}")

    def _ref_fn(self, argument: Any) -> Any:
        return self._reference(self._string(argument, "Ref"))

    def _get_att_fn(self, argument: Any) -> Any:
        if isinstance(argument, str):
            logical_id, _, attribute = argument.partition(".")
        elif isinstance(argument, list) and len(argument) == 2:
            logical_id = self._string(argument[0], "Fn::GetAtt")
            attribute = self._string(self.resolve(argument[1]), "Fn::GetAtt")
        else:
            raise UnresolvableError(f"Fn::GetAtt needs [resource, attribute], got {argument!r}")
        if logical_id not in self._resources:
            raise UnresolvableError(f"Fn::GetAtt to undefined resource {logical_id!r}")
        return self._get_att(logical_id, attribute)

    def _join(self, argument: Any) -> str:
        delimiter, items = self._pair(argument, "Fn::Join")
        values = self.resolve(items)
        if not isinstance(values, list):
            raise UnresolvableError(f"Fn::Join needs a list, got {values!r}")
        return str(self.resolve(delimiter)).join(_text(item) for item in values)

    def _sub(self, argument: Any) -> str:
        variables: dict[str, Any] = {}
        if isinstance(argument, str):
            text = argument
        else:
            text, names = self._pair(argument, "Fn::Sub")
            variables = dict(self.resolve(names))
        text = self._string(text, "Fn::Sub")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return _text(variables[name])
            if "." in name and name.split(".", 1)[0] in self._resources:
                logical_id, attribute = name.split(".", 1)
                return _text(self._get_att(logical_id, attribute))
            return _text(self._reference(name))

        return _SUB_VAR.sub(replace, text)

    def _select(self, argument: Any) -> Any:
        index, items = self._pair(argument, "Fn::Select")
        values = self.resolve(items)
        position = int(self.resolve(index))
        if not isinstance(values, list) or not 0 <= position < len(values):
            raise UnresolvableError(f"Fn::Select index {position} out of range of {values!r}")
        return values[position]

    def _split(self, argument: Any) -> list[str]:
        delimiter, text = self._pair(argument, "Fn::Split")
        return self._string(self.resolve(text), "Fn::Split").split(self._string(self.resolve(delimiter), "Fn::Split"))

    def _find_in_map(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) not in (3, 4):
            raise UnresolvableError(f"Fn::FindInMap needs [map, key, key], got {argument!r}")
        map_name, first, second = (self._string(self.resolve(item), "Fn::FindInMap") for item in argument[:3])
        mappings: Mapping[str, Any] = self._template.get("Mappings", {})
        try:
            return mappings[map_name][first][second]
        except KeyError:
            if len(argument) == 4 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
                return self.resolve(argument[3]["DefaultValue"])
            raise UnresolvableError(f"Fn::FindInMap: no {map_name}/{first}/{second} in Mappings") from None

    def _if(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            raise UnresolvableError(f"Fn::If needs [condition, then, else], got {argument!r}")
        name = self._string(argument[0], "Fn::If")
        return self.resolve(argument[1] if self.condition(name) else argument[2])

    def _equals(self, argument: Any) -> bool:
        left, right = self._pair(argument, "Fn::Equals")
        return bool(_text(self.resolve(left)) == _text(self.resolve(right)))

    def _and(self, argument: Any) -> bool:
        return all(self._truth(item) for item in self._list(argument, "Fn::And"))

    def _or(self, argument: Any) -> bool:
        return any(self._truth(item) for item in self._list(argument, "Fn::Or"))

    def _not(self, argument: Any) -> bool:
        items = self._list(argument, "Fn::Not")
        if len(items) != 1:
            raise UnresolvableError(f"Fn::Not needs one condition, got {argument!r}")
        return not self._truth(items[0])

    def _condition_fn(self, argument: Any) -> bool:
        return self.condition(self._string(argument, "Condition"))

    def _get_azs(self, argument: Any) -> list[str]:
        region = self.resolve(argument) or self._pseudo.get("AWS::Region", "us-east-1")
        return [f"{region}{zone}" for zone in "abc"]

    def _base64(self, argument: Any) -> str:
        return base64.b64encode(_text(self.resolve(argument)).encode()).decode()

    def _import(self, argument: Any) -> Any:
        return self._import_value(self._string(self.resolve(argument), "Fn::ImportValue"))

    def _length(self, argument: Any) -> int:
        return len(self._list(self.resolve(argument), "Fn::Length"))

    def _to_json_string(self, argument: Any) -> str:
        return json.dumps(self.resolve(argument), separators=(",", ":"))

    def _contains(self, argument: Any) -> bool:
        items, value = self._pair(argument, "Fn::Contains")
        return _text(self.resolve(value)) in [_text(item) for item in self._list(self.resolve(items), "Fn::Contains")]

    # --- helpers ----------------------------------------------------------------------------------------------
    @staticmethod
    def _pair(argument: Any, function: str) -> tuple[Any, Any]:
        if not isinstance(argument, list) or len(argument) != 2:
            raise UnresolvableError(f"{function} needs two arguments, got {argument!r}")
        return argument[0], argument[1]

    @staticmethod
    def _list(argument: Any, function: str) -> list[Any]:
        if not isinstance(argument, list):
            raise UnresolvableError(f"{function} needs a list, got {argument!r}")
        return argument

    @staticmethod
    def _string(value: Any, function: str) -> str:
        if not isinstance(value, str):
            raise UnresolvableError(f"{function} needs a string, got {value!r}")
        return value


_FUNCTIONS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Ref": Resolver._ref_fn,
    "Fn::GetAtt": Resolver._get_att_fn,
    "Fn::Join": Resolver._join,
    "Fn::Sub": Resolver._sub,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::If": Resolver._if,
    "Fn::Equals": Resolver._equals,
    "Fn::And": Resolver._and,
    "Fn::Or": Resolver._or,
    "Fn::Not": Resolver._not,
    "Condition": Resolver._condition_fn,
    "Fn::GetAZs": Resolver._get_azs,
    "Fn::Base64": Resolver._base64,
    "Fn::ImportValue": Resolver._import,
    "Fn::Length": Resolver._length,
    "Fn::ToJsonString": Resolver._to_json_string,
    "Fn::Contains": Resolver._contains,
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def references(value: Any) -> Iterator[tuple[str, str]]:
    """Every name ``value`` refers to, as ``(function, name)``: ``Ref``, ``Fn::GetAtt`` and ``Fn::Sub`` targets."""
    if isinstance(value, list):
        for item in value:
            yield from references(item)
    elif isinstance(value, dict):
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref" and isinstance(argument, str):
                yield key, argument
                return
            if key == "Fn::GetAtt":
                target = argument.split(".", 1)[0] if isinstance(argument, str) else argument[0]
                if isinstance(target, str):
                    yield key, target
                return
            if key == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
                if isinstance(text, str):
                    for name in _SUB_VAR.findall(text):
                        if not name.startswith("!") and name not in variables:
                            yield key, name.split(".", 1)[0]
                yield from references(variables)
                return
        for item in value.values():
            yield from references(item)
