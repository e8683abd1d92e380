"""Create (or reset) an operator: a Cognito user with a permanent password, plus the operator
record the service checks at sign-in (name, role, max_chats).

The user pool admits no self sign-up, so the first admin must be made from outside the app;
this is that step (docs/deploy.md, "First admin operator"). The password is set permanent
because the service's sign-in (USER_PASSWORD_AUTH) refuses accounts that still have to change
a temporary one. The record is written through the app's own DynamoDB adapter, so its shape is
the one the service reads. Running it again for the same username resets the password and
updates the record (active chats and availability are kept).

    python -m scripts.create_operator --stage prod --username ada --name "Ada Lovelace" \\
        --role admin [--max-chats 3] [--email ada@library.example]
The password is read from OPERATOR_PASSWORD, or asked for twice on the terminal.
"""
from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys

from .deploytool import DeployError, stack_name, stack_outputs


def create_operator(cognito, outputs: dict, *, username: str, name: str, role: str,
                    max_chats: int, password: str, email: str | None = None,
                    host: str | None = None) -> str:
    from botocore.exceptions import ClientError

    from chalicelib.adapters import dynamo
    from chalicelib.domain.model import Operator

    pool = outputs["UserPoolId"]
    attributes = [{"Name": "name", "Value": name}]
    if email:
        attributes += [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    try:
        cognito.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS",
                                  UserAttributes=attributes)
        created = "created"
    except ClientError as err:
        if err.response["Error"]["Code"] != "UsernameExistsException":
            raise
        cognito.admin_update_user_attributes(UserPoolId=pool, Username=username,
                                             UserAttributes=attributes)
        created = "updated"
    try:
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=password,
                                        Permanent=True)
    except ClientError as err:
        if err.response["Error"]["Code"] == "InvalidPasswordException":
            raise DeployError(f"Cognito refused the password: {err.response['Error']['Message']}") from None
        raise
    region = outputs.get("Region") or cognito.meta.region_name
    dynamo.bind(outputs["TablePrefix"], region, host=host)
    operators = dynamo.repositories(region, host=host).operators
    current = operators.get(username)
    if current is None:
        operator = Operator(id=username, name=name, role=role, max_chats=max_chats)
    else:  # keep what the service keeps there (active chats, availability, ...)
        operator = dataclasses.replace(current, name=name, role=role, max_chats=max_chats)
    operators.put(operator)
    return f"{created} operator {username} ({name}, {role}, max {max_chats} chats)"


def _password() -> str:
    password = os.environ.get("OPERATOR_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise DeployError("set OPERATOR_PASSWORD (no terminal to ask on)")
    first = getpass.getpass("Password (at least 12 characters, upper, lower case and digits): ")
    if first != getpass.getpass("Again: "):
        raise DeployError("the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--name", required=True, help="shown to patrons and colleagues")
    parser.add_argument("--role", choices=["admin", "librarian"], default="librarian")
    parser.add_argument("--max-chats", type=int, default=3, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--email")
    args = parser.parse_args(argv)
    import boto3
    session = boto3.session.Session()
    if not session.region_name:
        raise DeployError("no AWS region: set AWS_REGION (or a profile's region)")
    outputs = stack_outputs(session.client("cloudformation"), stack_name(args.stage))
    print(create_operator(session.client("cognito-idp"), outputs, username=args.username,
                          name=args.name, role=args.role, max_chats=args.max_chats,
                          password=_password(), email=args.email))
    return 0


if __name__ == "__main__":
    from botocore.exceptions import BotoCoreError, ClientError
    try:
        sys.exit(main())
    except (DeployError, BotoCoreError, ClientError) as err:
        print(f"create_operator: {err}", file=sys.stderr)
        sys.exit(2)
