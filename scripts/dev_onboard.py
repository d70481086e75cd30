"""Finish onboarding of a fresh dev configuration and add AIoT Brain to it.

Runs beside Home Assistant (scripts/develop starts both): it waits until the HTTP API
answers, then uses HA's own onboarding and config-flow APIs, as the UI would. A
configuration that is already onboarded is left alone.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

# Onboarding adds these, but they need the internet, which a dev machine may lack.
ONLINE_ONLY_DOMAINS = {"met", "radio_browser", "google_translate"}
USERNAME = "dev"
PASSWORD = "dev"  # noqa: S105 (the documented dev login of a local instance)
WAIT_SECONDS = 600


def _port(config_dir: Path) -> int:
    text = (config_dir / "configuration.yaml").read_text(encoding="utf-8")
    match = re.search(r"^\s*server_port:\s*(\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else 8123


class Api:
    """A tiny JSON client for the local Home Assistant."""

    def __init__(self, base: str) -> None:
        """Talk to the instance at ``base`` (http://127.0.0.1:PORT)."""
        self.base = base
        self.token: str | None = None

    def request(
        self, method: str, path: str, body: Any = None, form: bool = False
    ) -> Any:
        """Send one request and return the decoded JSON answer."""
        headers = {}
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # Only ever the local instance: base is http://127.0.0.1:PORT.
        request = urllib.request.Request(self.base + path, data, headers, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload = response.read()
        return json.loads(payload) if payload else None


def _wait_for(api: Api) -> list[dict[str, Any]] | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            steps: list[dict[str, Any]] = api.request("GET", "/api/onboarding")
        except urllib.error.URLError, ConnectionError, TimeoutError:
            time.sleep(2)
            continue
        return steps
    return None


def onboard(config_dir: Path) -> None:
    """Onboard with the dev owner and add AIoT Brain, if not done yet."""
    base = f"http://127.0.0.1:{_port(config_dir)}"
    client_id = base + "/"
    api = Api(base)
    steps = _wait_for(api)
    if steps is None:
        print(
            "dev_onboard: Home Assistant did not answer; nothing done", file=sys.stderr
        )
        return
    done = {step["step"] for step in steps if step["done"]}
    if "user" in done:
        return
    auth = api.request(
        "POST",
        "/api/onboarding/users",
        {
            "client_id": client_id,
            "name": "Developer",
            "username": USERNAME,
            "password": PASSWORD,
            "language": "en",
        },
    )
    token = api.request(
        "POST",
        "/auth/token",
        {
            "grant_type": "authorization_code",
            "code": auth["auth_code"],
            "client_id": client_id,
        },
        form=True,
    )
    api.token = token["access_token"]
    api.request("POST", "/api/onboarding/core_config", {})
    api.request("POST", "/api/onboarding/analytics", {})
    api.request(
        "POST",
        "/api/onboarding/integration",
        {"client_id": client_id, "redirect_uri": client_id + "?auth_callback=1"},
    )
    add_integration(api, "aiot_brain")
    remove_online_only_integrations(api)
    print(f"dev_onboard: ready, log in at {base} as {USERNAME} / {PASSWORD}")


def remove_online_only_integrations(api: Api) -> None:
    """Delete the entries onboarding made that only work with the internet.

    Onboarding creates them in the background, so look for a little while.
    """
    removed: set[str] = set()
    deadline = time.monotonic() + 30
    while removed != ONLINE_ONLY_DOMAINS and time.monotonic() < deadline:
        for entry in api.request("GET", "/api/config/config_entries/entry"):
            if entry["domain"] in ONLINE_ONLY_DOMAINS:
                api.request(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
                )
                removed.add(entry["domain"])
        time.sleep(1)


def add_integration(api: Api, domain: str) -> None:
    """Run an integration's config flow, accepting the defaults of each form."""
    result = api.request("POST", "/api/config/config_entries/flow", {"handler": domain})
    for _ in range(10):
        if result.get("type") != "form":
            break
        answer = {
            field["name"]: field["default"]
            for field in result.get("data_schema", [])
            if "default" in field
        }
        result = api.request(
            "POST", f"/api/config/config_entries/flow/{result['flow_id']}", answer
        )
    if result.get("type") != "create_entry":
        print(f"dev_onboard: adding {domain} ended with {result}", file=sys.stderr)


if __name__ == "__main__":
    onboard(Path(sys.argv[1]))
