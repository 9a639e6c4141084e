#!/usr/bin/env python3
"""Builds Fixtures/demo/ from the real Invictus IR CloudTrail logs.

Deterministic: running it again rewrites the same bytes. It
1. extracts every principal the logs show (acting, or created by the logged IAM calls) and writes
   principals-in-logs.txt;
2. copies the 55 log files into the S3 delivery layout AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/;
3. writes authorization-details.json (the AWS CLI's `get-account-authorization-details` format) and
   credential-report.csv: the Stratus Red Team principals as the logged IAM calls configured them (real
   documents, ids and times), plus constructed long-lived principals (CONSTRUCTED_* below);
4. checks that every principal of step 1 is in the snapshot.

Run from the repository root: python3 Fixtures/demo/build-demo.py
"""
import glob
import gzip
import hashlib
import json
import os
import shutil
import sys

ACCOUNT = "123837392027"
SOURCE = "Fixtures/cloudtrail/invictus-ir-aws-dataset"
DEMO = "Fixtures/demo"
LOGS = f"{DEMO}/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2023/07/10"
MANAGED = "Fixtures/policies/aws-managed/aws-managed-policies.jsonl.gz"
# Stratus Red Team starts removing its persistence principals at this time; each Stratus principal is
# shown as it was just before its first cleanup call (or this time, whichever is first).
CLEANUP = "2023-07-10T12:28:24Z"
CLEANUP_CALLS = ("Delete", "Detach", "Remove")


def records():
    for path in sorted(glob.glob(f"{SOURCE}/*.json.gz")):
        with gzip.open(path) as f:
            for record in json.load(f)["Records"]:
                yield record


def principal_of(record):
    """The principal a record is attributed to (DESIGN.md "Attribution"), or None."""
    identity = record.get("userIdentity") or {}
    kind = identity.get("type")
    if kind == "IAMUser":
        if identity.get("arn"):
            return identity["arn"]
        return f"arn:aws:iam::{identity['accountId']}:user/{identity['userName']}"
    if kind == "AssumedRole":
        return identity["sessionContext"]["sessionIssuer"]["arn"]
    if kind == "Root":
        return f"arn:aws:iam::{identity['accountId']}:root"
    return None


def iso(cloudtrail_time):
    return cloudtrail_time.replace("Z", "+00:00")


def made_up_id(prefix, name):
    """A stable, AWS-looking id for a constructed principal (real ids come from the logs)."""
    digest = hashlib.sha256(name.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return prefix + "".join(alphabet[b % 32] for b in digest[:9])


# ---------------------------------------------------------------------------------------------------
# 1. Principals in the logs, and the IAM configuration the logged calls made.

seen = {}  # arn -> [count, first, last]
created_roles, created_users, policies_created = {}, {}, {}
role_events, user_events = {}, {}
for record in records():
    arn = principal_of(record)
    if arn:
        entry = seen.setdefault(arn, [0, record["eventTime"], record["eventTime"]])
        entry[0] += 1
        entry[1] = min(entry[1], record["eventTime"])
        entry[2] = max(entry[2], record["eventTime"])
    if record["eventSource"] != "iam.amazonaws.com" or record.get("errorCode"):
        continue
    params = record.get("requestParameters") or {}
    response = record.get("responseElements") or {}
    name = record["eventName"]
    if name == "CreatePolicy":
        policies_created[params["policyName"]] = (record["eventTime"], response["policy"]["policyId"],
                                                  json.loads(params["policyDocument"]))
    if "roleName" in params:
        role_events.setdefault(params["roleName"], []).append(record)
    elif "userName" in params:
        user_events.setdefault(params["userName"], []).append(record)

with open(f"{DEMO}/principals-in-logs.txt", "w") as out:
    out.write("# principal ARN, events attributed to it, first and last eventTime (from build-demo.py)\n")
    for arn in sorted(seen):
        count, first, last = seen[arn]
        out.write(f"{arn}\t{count}\t{first}\t{last}\n")


def managed_corpus():
    with gzip.open(MANAGED) as f:
        return {p["arn"]: p for p in map(json.loads, f) if p["arn"]}


corpus = managed_corpus()
attached = {}  # policy ARN -> attachment count


def attach(arn):
    attached[arn] = attached.get(arn, 0) + 1
    return {"PolicyName": arn.rsplit("/", 1)[1], "PolicyArn": arn}


def instance_profiles(events):
    profiles = {}
    for record in events:
        if record["eventName"] == "AddRoleToInstanceProfile":
            profiles[record["requestParameters"]["instanceProfileName"]] = record["eventTime"]
    return profiles


def stratus_role(name, events):
    """A role as the logged calls configured it, before its cleanup."""
    cutoff = min([CLEANUP] + [r["eventTime"] for r in events if r["eventName"].startswith(CLEANUP_CALLS)])
    role = {"inline": {}, "attached": [], "trust": None, "created": None, "id": None, "profiles": []}
    for record in sorted(events, key=lambda r: r["eventTime"]):
        if record["eventTime"] >= cutoff:
            continue
        params = record["requestParameters"]
        if record["eventName"] == "CreateRole":
            role["created"] = record["eventTime"]
            role["id"] = record["responseElements"]["role"]["roleId"]
            role["trust"] = json.loads(params["assumeRolePolicyDocument"])
        elif record["eventName"] == "UpdateAssumeRolePolicy":
            role["trust"] = json.loads(params["policyDocument"])
        elif record["eventName"] == "PutRolePolicy":
            role["inline"][params["policyName"]] = json.loads(params["policyDocument"])
        elif record["eventName"] == "AttachRolePolicy":
            role["attached"].append(params["policyArn"])
        elif record["eventName"] == "AddRoleToInstanceProfile":
            role["profiles"].append(params["instanceProfileName"])
    return role


# ---------------------------------------------------------------------------------------------------
# 2. The logs in the S3 delivery layout (file names carry the records' account).

os.makedirs(LOGS, exist_ok=True)
for path in sorted(glob.glob(f"{SOURCE}/*.json.gz")):
    name = os.path.basename(path).replace("218007301253_", f"{ACCOUNT}_", 1)
    shutil.copyfile(path, f"{LOGS}/{name}")

# ---------------------------------------------------------------------------------------------------
# 3. The snapshot.

def role_detail(name, path, role_id, created, trust, inline, attached_arns, last_used=None, profiles=(),
                tags=()):
    arn = f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
    detail = {
        "Path": path, "RoleName": name, "RoleId": role_id, "Arn": arn, "CreateDate": iso(created),
        "AssumeRolePolicyDocument": trust,
        "InstanceProfileList": [
            {"Path": "/", "InstanceProfileName": p, "InstanceProfileId": profile_ids.get(p, made_up_id("AIPA", p)),
             "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{p}", "CreateDate": iso(created),
             "Roles": [{"Path": path, "RoleName": name, "RoleId": role_id, "Arn": arn, "CreateDate": iso(created),
                        "AssumeRolePolicyDocument": trust}]}
            for p in profiles],
        "RolePolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in sorted(inline.items())],
        "AttachedManagedPolicies": [attach(a) for a in attached_arns],
        "Tags": [{"Key": k, "Value": v} for k, v in tags],
        "RoleLastUsed": {"LastUsedDate": iso(last_used), "Region": "us-east-1"} if last_used else {},
    }
    return detail


def user_detail(name, user_id, created, groups=(), attached_arns=(), inline=None, tags=()):
    detail = {"Path": "/", "UserName": name, "UserId": user_id, "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
              "CreateDate": iso(created), "GroupList": list(groups),
              "AttachedManagedPolicies": [attach(a) for a in attached_arns],
              "Tags": [{"Key": k, "Value": v} for k, v in tags]}
    if inline:
        detail["UserPolicyList"] = [{"PolicyName": k, "PolicyDocument": v} for k, v in sorted(inline.items())]
    return detail


profile_ids = {}
for record in records():
    if record["eventName"] == "CreateInstanceProfile" and not record.get("errorCode"):
        profile = record["responseElements"]["instanceProfile"]
        profile_ids[profile["instanceProfileName"]] = profile["instanceProfileId"]

AWS = "arn:aws:iam::aws:policy/"
SERVICE_TRUST = lambda service: {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}

roles = []
# Stratus Red Team roles: real documents, ids and times from the logged calls.
for name in sorted(role_events):
    role = stratus_role(name, role_events[name])
    if role["created"] is None:
        continue
    arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
    last_used = seen[arn][2] if arn in seen else None
    roles.append(role_detail(name, "/", role["id"], role["created"], role["trust"], role["inline"],
                             role["attached"], last_used, role["profiles"], [("StratusRedTeam", "true")]))

# Service-linked roles the logs show (CONSTRUCTED: ids and creation dates).
for service, name, policy, created in [
    ("rds.amazonaws.com", "AWSServiceRoleForRDS", "aws-service-role/AmazonRDSServiceRolePolicy",
     "2022-12-14T10:03:51Z"),
    ("inspector2.amazonaws.com", "AWSServiceRoleForAmazonInspector2",
     "aws-service-role/AmazonInspector2ServiceRolePolicy", "2023-03-02T08:47:19Z"),
    ("rolesanywhere.amazonaws.com", "AWSServiceRoleForRolesAnywhere",
     "aws-service-role/AWSRolesAnywhereServicePolicy", "2023-07-10T12:27:13Z"),
]:
    path = f"/aws-service-role/{service}/"
    arn = f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
    roles.append(role_detail(name, path, made_up_id("AROA", name), created, SERVICE_TRUST(service), {},
                             [AWS + policy], seen[arn][2] if arn in seen else "2023-07-10T12:28:26Z"))

# CONSTRUCTED long-lived roles: never seen in the logs.
roles += [
    # A vendor's monitoring role: another account may assume it without an ExternalId.
    role_detail("vendor-monitoring", "/", made_up_id("AROA", "vendor-monitoring"), "2022-02-14T09:20:31Z",
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                     "Action": "sts:AssumeRole"}]},
                {}, [AWS + "ReadOnlyAccess"], None, (), [("owner", "vendor")]),
    # An auditor's role with an ExternalId: no trust finding expected.
    role_detail("partner-audit", "/", made_up_id("AROA", "partner-audit"), "2022-10-03T14:02:11Z",
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/auditor"},
                     "Action": "sts:AssumeRole",
                     "Condition": {"StringEquals": {"sts:ExternalId": "7f3c2d9a-partner-audit"}}}]},
                {}, [AWS + "SecurityAudit"], "2023-05-02T07:55:40Z"),
    # An old CI role whose trust policy lets any AWS principal assume it.
    role_detail("legacy-ci-deploy", "/", made_up_id("AROA", "legacy-ci-deploy"), "2021-08-23T11:45:02Z",
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]},
                {}, [AWS + "PowerUserAccess"], "2022-12-01T16:30:12Z"),
    # An instance role used the day before the logs (RoleLastUsed), with no events in them.
    role_detail("ec2-ssm-instance-role", "/", made_up_id("AROA", "ec2-ssm-instance-role"),
                "2022-09-06T10:11:12Z", SERVICE_TRUST("ec2.amazonaws.com"), {},
                [AWS + "AmazonSSMManagedInstanceCore"], "2023-07-09T22:14:03Z", ["ec2-ssm-instance-profile"]),
]

# Users: the two long-lived ones that act in the logs (CONSTRUCTED groups, dates and ids), the Stratus
# users the logged calls created (real ids and times), and CONSTRUCTED idle users.
users = [
    user_detail("bert-jan", "AIDATFQR7NSC5AU2ZV3IE", "2022-09-05T09:30:10Z", groups=["Admins"]),
    user_detail("benjamin", made_up_id("AIDA", "benjamin"), "2022-11-21T13:02:37Z", groups=["SecurityAuditors"]),
    user_detail("deploy-legacy", made_up_id("AIDA", "deploy-legacy"), "2021-03-02T16:20:00Z",
                attached_arns=[AWS + "AmazonS3FullAccess", AWS + "AmazonEC2FullAccess"]),
    user_detail("marketing-analyst", made_up_id("AIDA", "marketing-analyst"), "2023-02-06T10:00:00Z",
                attached_arns=[AWS + "AmazonS3ReadOnlyAccess"]),
    user_detail("former-contractor", made_up_id("AIDA", "former-contractor"), "2022-06-13T08:00:00Z",
                groups=["Developers"]),
]
stratus_users = {}
for name in sorted(user_events):
    events = sorted(user_events[name], key=lambda r: r["eventTime"])
    create = next((r for r in events if r["eventName"] == "CreateUser"), None)
    if create is None:
        continue
    cutoff = min([CLEANUP] + [r["eventTime"] for r in events if r["eventName"].startswith(CLEANUP_CALLS)])
    live = [r for r in events if r["eventTime"] < cutoff]
    stratus_users[name] = {
        "created": create["eventTime"],
        "login": next((r["eventTime"] for r in live if r["eventName"] == "CreateLoginProfile"), None),
        "key": next((r["eventTime"] for r in live if r["eventName"] == "CreateAccessKey"), None),
    }
    tags = [(t["key"], t["value"]) for t in create["requestParameters"].get("tags", [])]
    users.append(user_detail(name, create["responseElements"]["user"]["userId"], create["eventTime"],
                             attached_arns=[r["requestParameters"]["policyArn"] for r in live
                                            if r["eventName"] == "AttachUserPolicy"], tags=tags))

groups = [
    {"Path": "/", "GroupName": "Admins", "GroupId": made_up_id("AGPA", "Admins"),
     "Arn": f"arn:aws:iam::{ACCOUNT}:group/Admins", "CreateDate": "2022-09-05T09:28:40+00:00",
     "GroupPolicyList": [], "AttachedManagedPolicies": [attach(AWS + "AdministratorAccess")]},
    {"Path": "/", "GroupName": "Developers", "GroupId": made_up_id("AGPA", "Developers"),
     "Arn": f"arn:aws:iam::{ACCOUNT}:group/Developers", "CreateDate": "2022-06-13T07:55:00+00:00",
     "GroupPolicyList": [], "AttachedManagedPolicies": [attach(AWS + "PowerUserAccess")]},
    {"Path": "/", "GroupName": "SecurityAuditors", "GroupId": made_up_id("AGPA", "SecurityAuditors"),
     "Arn": f"arn:aws:iam::{ACCOUNT}:group/SecurityAuditors", "CreateDate": "2022-11-21T12:58:03+00:00",
     "GroupPolicyList": [], "AttachedManagedPolicies": [attach(AWS + "SecurityAudit"), attach(AWS + "ReadOnlyAccess")]},
]

policies = []
for arn in sorted(attached):
    if arn.startswith(AWS):
        entry = corpus[arn]
        policies.append({
            "PolicyName": entry["name"], "PolicyId": made_up_id("ANPA", entry["name"]), "Arn": arn,
            "Path": "/" + arn[len(AWS):].rpartition("/")[0] + "/" if "/" in arn[len(AWS):] else "/",
            "DefaultVersionId": entry["version"], "AttachmentCount": attached[arn],
            "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
            "CreateDate": entry["createdate"], "UpdateDate": entry["updatedate"],
            "PolicyVersionList": [{"Document": entry["document"], "VersionId": entry["version"],
                                   "IsDefaultVersion": True, "CreateDate": entry["updatedate"]}]})
    else:
        name = arn.rsplit("/", 1)[1]
        created, policy_id, document = policies_created[name]
        policies.append({
            "PolicyName": name, "PolicyId": policy_id, "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
            "AttachmentCount": attached[arn], "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
            "CreateDate": iso(created), "UpdateDate": iso(created),
            "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": True,
                                   "CreateDate": iso(created)}]})

snapshot = {"UserDetailList": sorted(users, key=lambda u: u["UserName"]),
            "GroupDetailList": groups,
            "RoleDetailList": sorted(roles, key=lambda r: r["RoleName"]),
            "Policies": policies}
with open(f"{DEMO}/authorization-details.json", "w") as out:
    json.dump(snapshot, out, indent=4)
    out.write("\n")

# ---------------------------------------------------------------------------------------------------
# The credential report, generated 2023-07-11T00:00:00Z.

COLUMNS = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
           "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
           "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
           "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
           "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
           "cert_2_active,cert_2_last_rotated")
NO_KEY = ["false", "N/A", "N/A", "N/A", "N/A"]


def key(rotated, used=None, region=None, service=None, active=True):
    return ["true" if active else "false", iso(rotated), iso(used) if used else "N/A", region or "N/A",
            service or "N/A"]


def row(name, created, password=None, mfa=False, key1=NO_KEY, key2=NO_KEY):
    """password: None (no console password) or (last used or None, last changed)."""
    arn = f"arn:aws:iam::{ACCOUNT}:root" if name == "<root_account>" else f"arn:aws:iam::{ACCOUNT}:user/{name}"
    if name == "<root_account>":
        pw = ["not_supported", iso(password[0]), "not_supported", "not_supported"]
    elif password:
        pw = ["true", iso(password[0]) if password[0] else "no_information", iso(password[1]), "N/A"]
    else:
        pw = ["false", "N/A", "N/A", "N/A"]
    return [name, arn, iso(created)] + pw + ["true" if mfa else "false"] + key1 + key2 + ["false", "N/A"] * 2


rows = [
    # CONSTRUCTED: root with MFA and no access keys.
    row("<root_account>", "2022-09-05T09:12:44Z", ("2023-02-20T10:31:07Z", None), mfa=True),
    # bert-jan: password and MFA (the logs show CheckMfa and ConsoleLogin), key 1 last used in the logs;
    # CONSTRUCTED: the key's rotation date (2023-01-16: older than 90 days).
    row("bert-jan", "2022-09-05T09:30:10Z", ("2023-07-10T12:27:45Z", "2022-09-05T09:31:02Z"), mfa=True,
        key1=key("2023-01-16T08:14:51Z", "2023-07-10T12:29:00Z", "us-east-1", "rds")),
    # benjamin: console with MFA and two active keys, both used in the logs (CONSTRUCTED rotation dates).
    row("benjamin", "2022-11-21T13:02:37Z", ("2023-07-10T11:42:00Z", "2022-11-21T13:05:10Z"), mfa=True,
        key1=key("2023-05-03T07:45:12Z", "2023-07-10T12:27:00Z", "us-east-1", "iam"),
        key2=key("2023-06-19T15:20:41Z", "2023-07-10T11:42:00Z", "us-east-1", "s3")),
    # CONSTRUCTED: a stale deployment key, not rotated since 2021 and unused since 2022-11-03.
    row("deploy-legacy", "2021-03-02T16:20:00Z",
        key1=key("2021-03-02T16:24:31Z", "2022-11-03T02:15:00Z", "eu-west-1", "s3")),
    # CONSTRUCTED: a console user without MFA, active last month.
    row("marketing-analyst", "2023-02-06T10:00:00Z", ("2023-06-28T08:41:55Z", "2023-02-06T10:02:13Z")),
    # CONSTRUCTED: a departed contractor: password unused since March, no MFA, key deactivated.
    row("former-contractor", "2022-06-13T08:00:00Z", ("2023-03-14T17:05:22Z", "2022-06-13T08:03:40Z"),
        key1=key("2022-06-13T08:05:00Z", "2023-03-10T11:20:00Z", "us-east-1", "ec2", active=False)),
]
# The Stratus users as the logged calls left them before cleanup (real times).
for name, user in sorted(stratus_users.items()):
    login = user["login"]
    used = seen.get(f"arn:aws:iam::{ACCOUNT}:user/{name}", [0, None, None])[2] if login else None
    rows.append(row(name, user["created"], (used, login) if login else None,
                    key1=key(user["key"]) if user["key"] else NO_KEY))

with open(f"{DEMO}/credential-report.csv", "w") as out:
    out.write(COLUMNS + "\n")
    for fields in rows:
        out.write(",".join(fields) + "\n")

# ---------------------------------------------------------------------------------------------------
# 4. Every principal in the logs is in the snapshot.

in_snapshot = {u["Arn"] for u in users} | {r["Arn"] for r in roles}
missing = sorted(set(seen) - in_snapshot)
if missing:
    sys.exit(f"principals in the logs but not in the snapshot: {missing}")
print(f"{len(seen)} principals in the logs, {len(users)} users, {len(groups)} groups, {len(roles)} roles, "
      f"{len(policies)} managed policies, {len(rows)} credential-report rows")
