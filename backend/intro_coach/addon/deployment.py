"""The deployment descriptor for `gcloud workspace-add-ons deployments create`."""

from __future__ import annotations

from typing import Any

_AUTH = "https://www.googleapis.com/auth/"
EXECUTE = _AUTH + "gmail.addons.execute"
READ_MESSAGE = _AUTH + "gmail.addons.current.message.readonly"
COMPOSE_METADATA = _AUTH + "gmail.addons.current.message.metadata"
COMPOSE = _AUTH + "gmail.addons.current.action.compose"
EMAIL = _AUTH + "userinfo.email"
# Narrow, per-message scopes only: nothing restricted such as gmail.readonly.
SCOPES = (EXECUTE, READ_MESSAGE, COMPOSE_METADATA, COMPOSE, EMAIL)

NAME = "Intro Coach"
PRIMARY = "#1a73e8"
SECONDARY = "#188038"
PATH = "/addon/gmail"


def descriptor(public_url: str) -> dict[str, Any]:
    base = public_url.rstrip("/") + PATH
    logo = base + "/static/logo.png"
    return {
        "oauthScopes": list(SCOPES),
        "addOns": {
            "common": {
                "name": NAME,
                "logoUrl": logo,
                "layoutProperties": {"primaryColor": PRIMARY, "secondaryColor": SECONDARY},
                "homepageTrigger": {"runFunction": base + "/homepage", "enabled": True},
            },
            "gmail": {
                "contextualTriggers": [
                    {"unconditional": {}, "onTriggerFunction": base + "/message"}
                ],
                "composeTrigger": {
                    "actions": [{"runFunction": base + "/compose", "label": NAME, "logoUrl": logo}],
                    "draftAccess": "METADATA",
                },
            },
            "httpOptions": {
                "authorizationHeader": "SYSTEM_ID_TOKEN",
                # We read authorizedScopes and ask for a missing one when it is needed.
                "granularOauthPermissionSupport": "OPT_IN",
            },
        },
    }
