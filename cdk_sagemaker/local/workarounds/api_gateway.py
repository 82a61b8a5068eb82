"""Workaround: the API Gateway and WAF resources moto's CloudFormation skips, made through their service APIs.

moto 5.2.5 behaviour: its CloudFormation creates ``AWS::ApiGateway::RestApi`` and ``AWS::ApiGateway::Resource``;
it skips (with "not supported") ``AWS::ApiGateway::RequestValidator``, ``Stage`` and ``GatewayResponse``, and
``AWS::WAFv2::WebACL``, ``WebACLAssociation`` and ``LoggingConfiguration``, although its API Gateway and WAFv2 APIs
take them; and it runs ``AWS::ApiGateway::Method`` and ``Deployment`` only in part (the method keeps the
integration's type, URI and HTTP method but no credentials, request parameters, method or integration responses)
and lists both without a physical id. Each emulator makes one from its resolved properties (the template's
PascalCase names mapped to the API's camelCase; the method is put again, whole) and knows how to undo it. Checked by
``tests/deploy/test_local_rest_api.py::test_moto_skips_the_api_gateway_types`` and
``test_moto_makes_methods_and_deployments_only_in_part``.

What moto then holds is the API's *definition* (methods, integrations with their URIs, request parameters, integration
responses and selection patterns, the stage, the web ACL and its rules); moto does not execute AWS integrations other
than DynamoDB, nor evaluate WAF rules. :func:`cdk_sagemaker.local.api.invoke_route` routes a request through that
definition to the local SageMaker runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made, generated_name


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _camel_keys(properties: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {_camel(n): properties[n] for n in names if n in properties}


def _method(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("apigateway")
    key = {"restApiId": properties["RestApiId"], "resourceId": properties["ResourceId"],
           "httpMethod": properties["HttpMethod"]}
    method = {**key, "authorizationType": properties.get("AuthorizationType", "NONE"),
              **_camel_keys(properties, "ApiKeyRequired", "RequestParameters", "AuthorizerId", "AuthorizationScopes",
                            "RequestValidatorId", "OperationName", "RequestModels")}
    client.put_method(**method)
    integration = properties.get("Integration") or {}
    if integration:
        client.put_integration(**key, **_camel_keys(
            integration, "Type", "IntegrationHttpMethod", "Uri", "Credentials", "RequestParameters",
            "RequestTemplates", "PassthroughBehavior", "TimeoutInMillis", "ContentHandling"))
    for response in properties.get("MethodResponses", []):
        client.put_method_response(**key, **_camel_keys(response, "StatusCode", "ResponseParameters",
                                                         "ResponseModels"))
    for response in integration.get("IntegrationResponses", []):
        client.put_integration_response(**key, **_camel_keys(response, "StatusCode", "SelectionPattern",
                                                             "ResponseParameters", "ResponseTemplates",
                                                             "ContentHandling"))

    def undo() -> None:
        client.delete_method(**key)

    return Made(physical_id=generated_name(stack_name, logical_id), attributes={},
                api="apigateway:PutMethod+PutIntegration+PutMethodResponse+PutIntegrationResponse", undo=undo)


def _request_validator(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("apigateway")
    api = properties["RestApiId"]
    made = client.create_request_validator(restApiId=api, name=properties.get("Name", logical_id), **_camel_keys(
        properties, "ValidateRequestBody", "ValidateRequestParameters"))

    def undo() -> None:
        client.delete_request_validator(restApiId=api, requestValidatorId=made["id"])

    return Made(physical_id=made["id"], attributes={"RequestValidatorId": made["id"]},
                api="apigateway:CreateRequestValidator", undo=undo)


def _deployment(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("apigateway")
    api = properties["RestApiId"]
    made = client.create_deployment(restApiId=api, **_camel_keys(properties, "Description"))

    def undo() -> None:
        client.delete_deployment(restApiId=api, deploymentId=made["id"])

    return Made(physical_id=made["id"], attributes={"DeploymentId": made["id"]}, api="apigateway:CreateDeployment",
                undo=undo)


def _stage(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("apigateway")
    api, name = properties["RestApiId"], properties["StageName"]
    client.create_stage(restApiId=api, stageName=name, **_camel_keys(
        properties, "DeploymentId", "Description", "TracingEnabled", "Variables"))

    def undo() -> None:
        client.delete_stage(restApiId=api, stageName=name)

    return Made(physical_id=name, attributes={}, api="apigateway:CreateStage", undo=undo)


def _gateway_response(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("apigateway")
    api, kind = properties["RestApiId"], properties["ResponseType"]
    client.put_gateway_response(restApiId=api, responseType=kind, **_camel_keys(
        properties, "StatusCode", "ResponseParameters", "ResponseTemplates"))

    def undo() -> None:
        client.delete_gateway_response(restApiId=api, responseType=kind)

    return Made(physical_id=generated_name(stack_name, logical_id), attributes={},
                api="apigateway:PutGatewayResponse", undo=undo)


def _web_acl(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("wafv2")
    name = properties.get("Name") or generated_name(stack_name, logical_id)[-128:]
    wanted = {k: properties[k] for k in ("DefaultAction", "Description", "Rules", "VisibilityConfig",
                                         "CustomResponseBodies") if k in properties}
    summary = client.create_web_acl(Name=name, Scope=properties["Scope"], **wanted)["Summary"]

    def undo() -> None:
        current = client.get_web_acl(Name=name, Scope=properties["Scope"], Id=summary["Id"])
        client.delete_web_acl(Name=name, Scope=properties["Scope"], Id=summary["Id"], LockToken=current["LockToken"])

    return Made(physical_id=f"{name}|{summary['Id']}|{properties['Scope']}",
                attributes={"Arn": summary["ARN"], "Id": summary["Id"]}, api="wafv2:CreateWebACL", undo=undo)


def _web_acl_association(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("wafv2")
    client.associate_web_acl(WebACLArn=properties["WebACLArn"], ResourceArn=properties["ResourceArn"])

    def undo() -> None:
        client.disassociate_web_acl(ResourceArn=properties["ResourceArn"])

    return Made(physical_id=generated_name(stack_name, logical_id), attributes={}, api="wafv2:AssociateWebACL",
                undo=undo)


def _logging_configuration(clients: ClientFor, stack_name: str, logical_id: str,
                           properties: Mapping[str, Any]) -> Made:
    client = clients("wafv2")
    config = {k: properties[k] for k in ("ResourceArn", "LogDestinationConfigs", "RedactedFields")
              if k in properties}
    client.put_logging_configuration(LoggingConfiguration=config)

    def undo() -> None:
        client.delete_logging_configuration(ResourceArn=properties["ResourceArn"])

    return Made(physical_id=generated_name(stack_name, logical_id), attributes={},
                api="wafv2:PutLoggingConfiguration", undo=undo)


EMULATORS: dict[str, Emulator] = {
    "AWS::ApiGateway::Method": _method,
    "AWS::ApiGateway::RequestValidator": _request_validator,
    "AWS::ApiGateway::Deployment": _deployment,
    "AWS::ApiGateway::Stage": _stage,
    "AWS::ApiGateway::GatewayResponse": _gateway_response,
    "AWS::WAFv2::WebACL": _web_acl,
    "AWS::WAFv2::WebACLAssociation": _web_acl_association,
    "AWS::WAFv2::LoggingConfiguration": _logging_configuration,
}
"""API Gateway and WAFv2 types moto's CloudFormation skips, and how the engine makes each through its API."""
