"""Infrastructure test helpers: the stage template as data, made creatable in moto, and the
stack parameters a deploy passes (used by the infra and the deploy tests)."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"
ORIGINS = ["https://www.library.example", "https://catalog.library.example"]
# What moto's CloudFormation cannot create (checked below against moto itself).
MOTO_LACKS = {"AWS::S3::BucketPolicy", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
              "AWS::SecretsManager::Secret", "AWS::CloudFront::OriginAccessControl",
              "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::Distribution",
              "AWS::CloudFront::Function", "AWS::SNS::Subscription", "AWS::CloudWatch::Alarm",
              "AWS::SES::ConfigurationSet", "AWS::SES::ConfigurationSetEventDestination",
              "AWS::SNS::TopicPolicy"}


def load_template(path: Path = TEMPLATE) -> dict:
    """The template as CloudFormation reads it (YAML short-form tags as intrinsic functions)."""
    from cfnlint.decode import decode_str
    template, errors = decode_str(path.read_text())
    assert not errors, errors
    return json.loads(json.dumps(template))


def moto_template(template: dict) -> tuple[dict, set[str]]:
    """The template with the resources moto cannot create replaced by placeholder strings
    wherever they are referenced; returns it and the replaced resource types."""
    from moto.cloudformation.parsing import resource_class_from_type
    lacking = {name: res["Type"] for name, res in template["Resources"].items()
               if not resource_class_from_type(res["Type"])}

    def sub(text: str) -> str:
        for name in lacking:
            text = text.replace("${%s}" % name, f"stub-{name}")
            text = re.sub(r"\$\{%s\.([A-Za-z.]+)\}" % name, rf"stub-{name}-\1", text)
        return text

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] in lacking:
                return f"stub-{node['Ref']}"
            if set(node) == {"Fn::GetAtt"}:
                target = node["Fn::GetAtt"]
                target = target.split(".", 1) if isinstance(target, str) else target
                if target[0] in lacking:
                    return f"stub-{target[0]}-{target[1]}"
            if set(node) == {"Fn::Sub"}:
                value = node["Fn::Sub"]
                if isinstance(value, str):
                    return {"Fn::Sub": sub(value)}
                return {"Fn::Sub": [sub(value[0]), walk(value[1])]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out = dict(template)
    out["Resources"] = {k: v for k, v in template["Resources"].items() if k not in lacking}
    return walk(out), set(lacking.values())


def resolve(node, params: dict):
    """Ref and Fn::Sub over parameters and pseudo parameters (enough to read names)."""
    if isinstance(node, dict) and set(node) == {"Ref"}:
        return params[node["Ref"]]
    if isinstance(node, dict) and set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
        return re.sub(r"\$\{([A-Za-z:]+)\}", lambda m: str(params[m.group(1)]), node["Fn::Sub"])
    return node


def stack_parameters(stage: str, **extra) -> list[dict]:
    values = {"Stage": stage, "AllowedOrigins": ",".join(ORIGINS), **extra}
    return [{"ParameterKey": k, "ParameterValue": str(v)} for k, v in values.items()]
