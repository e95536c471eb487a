"""deploy/: the image, the compose stack, the Kubernetes base and the Cloud Run service.

Where a Docker daemon answers, the image is built and the compose stack's API is
smoke-tested. Without one (CI here), every file is validated instead: the compose file
by `docker compose config` or, without the compose plugin, compose-go (the loader
Docker Compose uses); the Kubernetes manifests, as written and as kustomize renders
them, against the Kubernetes JSON schemas (kubernetes-validate); the Dockerfile by
hadolint. The path is chosen when the tests
are collected, so that neither shows up as skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from cryptography.fernet import Fernet

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
K8S_VERSION = "1.33.0"


def _docker_daemon() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


DAEMON = _docker_daemon()


def _compose_command() -> list[str]:
    out = subprocess.run(
        ["bash", str(ROOT / ".ci" / "compose-check")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout.strip()
    return out.split()


def _compose_config(
    path: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_compose_command(), "-f", str(path), "config"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


# --- compose ---


def test_compose_file_is_valid_and_has_the_whole_stack() -> None:
    done = _compose_config(DEPLOY / "compose.yaml")
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    services = config["services"]
    assert set(services) == {"api", "migrate", "postgres", "redis", "languagetool"}
    api = services["api"]
    assert api["command"] == ["serve", "--workers", "4"]
    assert api["read_only"] is True and api["tmpfs"] == ["/tmp"]
    assert api["ports"][0]["target"] == 8000 and api["ports"][0]["host_ip"] == "127.0.0.1"
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/healthz" in " ".join(api["healthcheck"]["test"])
    assert api["environment"]["INTRO_COACH_MIGRATE_ON_START"] == "0"
    assert api["environment"]["INTRO_COACH_REDIS_URL"] == "redis://redis:6379/0"
    assert services["migrate"]["command"] == ["migrate"]
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert set(config["volumes"]) >= {"api-data", "postgres-data"}
    # Secrets come from files, never from the compose file or the environment.
    assert set(config["secrets"]) == {
        "database_url",
        "postgres_password",
        "encryption_keys",
        "google_client_secret",
    }
    for secret in config["secrets"].values():
        assert Path(secret["file"]).parent == DEPLOY / "secrets"
    env = api["environment"]
    assert not any(k.endswith(("SECRET", "KEYS", "DATABASE_URL")) for k in env), env


def test_compose_settings_follow_the_env_file() -> None:
    done = _compose_config(
        DEPLOY / "compose.yaml",
        {"INTRO_COACH_WORKERS": "2", "INTRO_COACH_PUBLISH": "0.0.0.0:9000"},
    )
    assert done.returncode == 0, done.stderr
    api = yaml.safe_load(done.stdout)["services"]["api"]
    assert api["command"] == ["serve", "--workers", "2"]
    assert api["ports"][0]["published"] == "9000"
    # Every variable the compose file reads is explained in the example .env.
    used = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / ".env.example").read_text()
    documented = set(re.findall(r"^(\w+)=", example, re.M))
    assert used - {"INTRO_COACH_IMAGE_TAG"} <= documented


def test_the_compose_check_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    text = (DEPLOY / "compose.yaml").read_text()
    broken.write_text(
        text.replace("stop_grace_period: 30s", "stop_grace_period: 30s\n    colour: red")
    )
    done = _compose_config(broken)
    assert done.returncode != 0
    assert "colour" in done.stderr


def test_make_secrets_writes_private_files_once(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    for _ in range(2):
        subprocess.run([str(DEPLOY / "make-secrets"), str(secrets)], check=True, timeout=30)
        if _ == 0:
            first = {p.name: p.read_text() for p in secrets.iterdir()}
    assert {p.name: p.read_text() for p in secrets.iterdir()} == first  # kept, not redone
    assert set(first) == {
        "database_url",
        "postgres_password",
        "encryption_keys",
        "google_client_secret",
    }
    password = first["postgres_password"].strip()
    assert f"intro:{password}@postgres:5432/intro_coach" in first["database_url"]
    Fernet(first["encryption_keys"].strip().encode())  # a usable key
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    if os.geteuid() == 0:
        for path in secrets.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # Nothing secret is in the repository: deploy/secrets/ holds only its .gitignore.
    tracked = subprocess.run(
        ["git", "ls-files", "deploy/secrets"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert tracked in ([], ["deploy/secrets/.gitignore"])


# --- Kubernetes ---


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _manifests() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in _documents(path):
            found[f"{doc['kind']}/{doc['metadata']['name']}@{path.name}"] = doc
    return found


def test_kubernetes_manifests_match_the_kubernetes_schemas() -> None:
    manifests = _manifests()
    assert len(manifests) >= 11
    for name, doc in manifests.items():
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{name}: {exc.message}")


def test_the_kustomize_base_renders_valid_namespaced_resources() -> None:
    kustomize = subprocess.run(
        ["bash", str(ROOT / ".ci" / "kustomize")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout.strip()
    done = subprocess.run(
        [kustomize, "build", str(K8S)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rendered = [d for d in yaml.safe_load_all(done.stdout) if d]
    kinds = sorted(d["kind"] for d in rendered)
    expected = "Namespace ConfigMap Job Deployment Deployment Service Service Ingress"
    expected += " HorizontalPodAutoscaler PodDisruptionBudget"
    assert kinds == sorted(expected.split())
    for doc in rendered:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "intro-coach"
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "intro-coach", doc["metadata"]
    images = {
        c["image"]
        for d in rendered
        if d["kind"] in ("Deployment", "Job")
        for c in d["spec"]["template"]["spec"]["containers"]
    }
    assert "ghcr.io/example/intro-coach:0.1.0" in images and "intro-coach" not in images
    assert f"ghcr.io/example/intro-coach-languagetool:{_languagetool_version()}" in images


def test_the_schema_check_refuses_a_broken_manifest() -> None:
    deployment = _documents(K8S / "api-deployment.yaml")[0]
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"] = {
        "name": "http"
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_example_secret() -> None:
    kustomization = _documents(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present - {"secret.example.yaml"}
    assert all((K8S / name).exists() for name in listed)


def test_kubernetes_api_is_probed_limited_autoscaled_and_behind_tls() -> None:
    manifests = {k.split("@")[0]: v for k, v in _manifests().items()}
    pod = manifests["Deployment/intro-coach-api"]["spec"]["template"]["spec"]
    (api,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert api[probe]["httpGet"]["path"] == "/healthz", probe
    assert api["resources"]["requests"] and api["resources"]["limits"]
    assert api["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert {e.get("secretRef", {}).get("name") for e in api["envFrom"]} >= {"intro-coach"}
    hpa = manifests["HorizontalPodAutoscaler/intro-coach-api"]["spec"]
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    assert manifests["PodDisruptionBudget/intro-coach-api"]["spec"]["minAvailable"] == 1
    ingress = manifests["Ingress/intro-coach"]["spec"]
    assert ingress["tls"][0]["secretName"]
    assert "languagetool" in {k.split("/")[1] for k in manifests if k.startswith("Service/")}
    job = manifests["Job/intro-coach-migrate"]["spec"]["template"]["spec"]
    assert job["containers"][0]["args"] == ["migrate"]
    secret = manifests["Secret/intro-coach"]["stringData"]
    assert {
        "INTRO_COACH_DATABASE_URL",
        "INTRO_COACH_REDIS_URL",
        "INTRO_COACH_ENCRYPTION_KEYS",
    } <= set(secret)
    assert all("CHANGE-ME" in v for v in secret.values())  # an example, not a secret


def test_cloud_run_service_runs_the_image_with_secrets_and_probes() -> None:
    (service,) = _documents(DEPLOY / "cloudrun" / "service.yaml")
    assert service["apiVersion"] == "serving.knative.dev/v1" and service["kind"] == "Service"
    template = dict(service["spec"]["template"]["spec"])
    # Cloud Run's revision spec is a Kubernetes pod spec plus these two fields: the
    # rest is checked against the Pod schema.
    assert template.pop("containerConcurrency") > 0 and template.pop("timeoutSeconds") > 0
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": template}
    containers = template["containers"]
    containers[0] = {"name": "api", **containers[0]}
    kubernetes_validate.validate(pod, K8S_VERSION, strict=True)
    env = {e["name"]: e for e in containers[0]["env"]}
    for name in (
        "INTRO_COACH_DATABASE_URL",
        "INTRO_COACH_ENCRYPTION_KEYS",
        "INTRO_COACH_REDIS_URL",
    ):
        assert "secretKeyRef" in env[name]["valueFrom"], name
    assert containers[0]["startupProbe"]["httpGet"]["path"] == "/healthz"


# --- the image ---


def _assert_hadolint_passes(dockerfile: Path) -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    done = subprocess.run(
        [str(hadolint), "--failure-threshold", "info", str(dockerfile)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dockerfile_passes_hadolint_and_builds_a_small_non_root_image() -> None:
    dockerfile = DEPLOY / "Dockerfile"
    _assert_hadolint_passes(dockerfile)
    text = dockerfile.read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    assert len(stages) == 2 and all(s == "${PYTHON_IMAGE}" for s in stages)
    assert re.search(r"^ARG PYTHON_IMAGE=python:[\d.]+-slim", text, re.M)
    assert "-c constraints.txt" in text
    assert re.search(r"^USER 10001", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.M)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ignore[0:1] == ["*"] or "*" in ignore


# --- LanguageTool ---


def _languagetool_version() -> str:
    pom = (DEPLOY / "languagetool" / "pom.xml").read_text()
    found = re.search(r"<languagetool.version>([^<]+)</languagetool.version>", pom)
    assert found
    return found.group(1)


def test_languagetool_is_deployed_at_the_version_the_tests_run() -> None:
    """Compose and Kubernetes run the image built from the same pom.xml the tests' jars
    come from, with the server settings the local supervisor gives LanguageTool."""
    from intro_coach.languagetool_process import _CONFIG

    here = DEPLOY / "languagetool"
    dockerfile = here / "Dockerfile"
    _assert_hadolint_passes(dockerfile)
    text = dockerfile.read_text()
    assert "COPY pom.xml" in text and "dependency:copy-dependencies" in text
    assert re.search(r"^USER 10002", text, re.M)
    assert (here / "server.properties").read_text() == _CONFIG
    ignore = (here / "Dockerfile.dockerignore").read_text().split()
    assert "*" in ignore and "!pom.xml" in ignore and "lib" not in " ".join(ignore[1:])

    done = _compose_config(DEPLOY / "compose.yaml")
    assert done.returncode == 0, done.stderr
    service = yaml.safe_load(done.stdout)["services"]["languagetool"]
    assert Path(service["build"]["context"]) == here
    assert service["image"].startswith("intro-coach-languagetool:")

    deployments = [v for k, v in _manifests().items() if k.startswith("Deployment/languagetool")]
    pod = deployments[0]["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"] == "intro-coach-languagetool"
    assert pod["securityContext"]["runAsUser"] == 10002
    assert not any("erikvl87" in p.read_text() for p in DEPLOY.rglob("*.yaml"))


if DAEMON:

    def test_image_builds_and_the_compose_stack_answers(tmp_path: Path) -> None:
        tag = "intro-coach:test"
        subprocess.run(
            ["docker", "build", "-f", str(DEPLOY / "Dockerfile"), "-t", tag, str(ROOT)],
            check=True,
            timeout=1200,
        )
        size = int(
            subprocess.run(
                ["docker", "image", "inspect", "-f", "{{.Size}}", tag],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        print(f"image size: {size / 1e6:.0f} MB")
        assert size < 400e6
        user = subprocess.run(
            ["docker", "image", "inspect", "-f", "{{.Config.User}}", tag],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert user.startswith("10001")
        secrets = DEPLOY / "secrets"
        subprocess.run([str(DEPLOY / "make-secrets"), str(secrets)], check=True)
        env = {
            **os.environ,
            "INTRO_COACH_IMAGE_TAG": "test",
            "INTRO_COACH_PUBLISH": "127.0.0.1:18080",
            "INTRO_COACH_WORKERS": "2",
        }
        compose = [
            "docker",
            "compose",
            "-f",
            str(DEPLOY / "compose.yaml"),
            "-p",
            "intro-coach-test",
        ]
        subprocess.run([*compose, "up", "-d", "--wait"], check=True, env=env, timeout=900)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get("http://127.0.0.1:18080/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the API did not come up"
                time.sleep(1)
            answer = httpx.post(
                "http://127.0.0.1:18080/v1/analyze",
                json={"subject": "Informational interview", "body": {"text": "Hi"}},
                timeout=10,
            )
            assert answer.status_code == 200
            assert "informational-interview" in {f["rule"] for f in answer.json()["findings"]}
            assert (
                "intro_coach_http_requests_total"
                in httpx.get("http://127.0.0.1:18080/metrics", timeout=5).text
            )
        finally:
            subprocess.run([*compose, "down", "-v"], env=env, timeout=300)
