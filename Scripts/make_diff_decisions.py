"""Writes Fixtures/diff-decisions.json, the `pare diff` decision table.

The cases and their expected results are written by hand below. Where an expectation lists many
actions (a wildcard over a service, everything but one service), the list is computed here by an
independent expansion over ActionCatalog/catalog.txt (a regular expression per pattern), not by pare.
Run from the repository root: python3 Scripts/make_diff_decisions.py
"""
import json, os, re
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cat = open(os.path.join(root, 'ActionCatalog/catalog.txt')).read().split('\n')
prefixes = []
actions = {}
cur = None
for line in cat:
    f = line.split('\t')
    if f[0] == 'S': cur = f[1]; prefixes.append(cur); actions[cur] = []
    elif f[0] == 'A': actions[cur].append(cur + ':' + f[1])
def expand(pat):
    rx = re.compile('^' + re.escape(pat).replace('\\*', '.*').replace('\\?', '.') + '$', re.I)
    return sorted([a for p in prefixes for a in actions[p] if rx.match(a)])
def compress(names):
    names = set(names)
    allnames = {a for p in prefixes for a in actions[p]}
    if names == allnames: return ['*']
    out = []
    for p in prefixes:
        mine = {a for a in actions[p] if a in names}
        if not mine: continue
        if mine == set(actions[p]): out.append(p + ':*')
        else: out += mine
    return sorted(out)

def S(act, res='*', effect='Allow', cond=None, sid=None, notAction=False, notResource=False):
    s = {'Effect': effect}
    if sid: s['Sid'] = sid
    s['NotAction' if notAction else 'Action'] = act
    if res is not None: s['NotResource' if notResource else 'Resource'] = res
    if cond: s['Condition'] = cond
    return s
def D(*stmts): return {'Version': '2012-10-17', 'Statement': list(stmts)}
def R(kind, idx, acts, witness, policy='after', sid=None, deny=False, cause=None):
    """An expected reason, its description written from the wording of README's `pare diff` section."""
    shown = ', '.join('`%s`' % a for a in acts[:3]) + (' and %d more' % (len(acts) - 3) if len(acts) > 3 else '')
    place = 'statement %d%s of `%s`' % (idx, ' (`%s`)' % sid if sid else '', policy)
    on = ' on `%s`' % witness if witness else ' on any resource'
    removed = policy.startswith('before')
    other = 'AFTER' if removed else 'BEFORE'
    possibly = 'possibly no longer allowed' if removed else 'possibly new access'
    if kind == 'newAccess': d = 'new access: %s allows %s%s, which %s does not allow' % (place, shown, on, other)
    elif kind == 'removedAccess': d = 'no longer allowed: %s allows %s%s, which %s does not allow' % (place, shown, on, other)
    elif kind == 'conditionsDiffer' and deny: d = "%s: conditions differ: %s denies %s%s under other conditions than %s's Deny" % (possibly, place, shown, on, other)
    elif kind == 'conditionsDiffer': d = '%s: conditions differ: %s allows %s%s under conditions %s does not match' % (possibly, place, shown, on, other)
    elif kind == 'undecided' and cause == 'conditions': d = '%s: %s allows %s under too many conditions to compare exactly' % (possibly, place, shown)
    elif kind == 'listedAccess': d = 'access not granted: %s allows %s%s, which is listed as not to be granted' % (place, shown, on)
    else: raise ValueError(kind)
    return {'kind': kind, 'policy': policy, 'statementIndex': idx, 'statementId': sid, 'actions': acts, 'witness': witness, 'description': d}

B = 'arn:aws:s3:::b'
cases = []
def case(name, before, after, result, reasons=(), notGranted=None, removed=None):
    c = {'name': name, 'before': before, 'after': after, 'result': result, 'reasons': list(reasons)}
    if notGranted: c['notGranted'] = notGranted
    if removed is not None: c['removed'] = removed
    cases.append(c)

get = D(S('s3:GetObject', B + '/*'))
# identical and equivalent forms
case('identical policies pass', get, get, 'PASS', removed=[])
case('statement object versus array passes', {'Version': '2012-10-17', 'Statement': S('s3:GetObject', B + '/*')}, get, 'PASS', removed=[])
case('action string versus one-element array passes', D(S(['s3:GetObject'], [B + '/*'])), get, 'PASS', removed=[])
case('action case differences are not new access', get, D(S('S3:getobject', B + '/*')), 'PASS', removed=[])
case('service prefix case is not new access', get, D(S('S3:GETOBJECT', B + '/*')), 'PASS', removed=[])
case('statements split differently pass', D(S(['s3:GetObject', 's3:PutObject'], B + '/*')), D(S('s3:GetObject', B + '/*'), S('s3:PutObject', B + '/*')), 'PASS', removed=[])
case('statements merged differently pass', D(S('s3:GetObject', B + '/*'), S('s3:PutObject', B + '/*')), D(S(['s3:PutObject', 's3:GetObject'], B + '/*')), 'PASS', removed=[])
case('duplicate statements pass', get, D(S('s3:GetObject', B + '/*'), S('s3:GetObject', B + '/*')), 'PASS', removed=[])
case('wildcard equivalent to the explicit list passes', D(S(expand('sqs:*'), '*')), D(S('sqs:*', '*')), 'PASS', removed=[])
case('sid changes are not new access', get, D(S('s3:GetObject', B + '/*', sid='Renamed')), 'PASS', removed=[])
case('resources split across statements pass', D(S('s3:GetObject', [B + '/a/*', B + '/b/*'])), D(S('s3:GetObject', B + '/a/*'), S('s3:GetObject', B + '/b/*')), 'PASS', removed=[])
case('empty after passes', get, D(), 'PASS', removed=[R('removedAccess', 0, ['s3:GetObject'], B + '/a', policy='before')])
# action broadening
case('wildcard broadening fails', get, D(S('s3:GetObject*', B + '/*')), 'FAIL',
     [R('newAccess', 0, [a for a in expand('s3:GetObject*') if a != 's3:GetObject'], B + '/a')], removed=[])
case('wildcard narrowing passes', D(S('s3:GetObject*', B + '/*')), get, 'PASS',
     removed=[R('removedAccess', 0, [a for a in expand('s3:GetObject*') if a != 's3:GetObject'], B + '/a', policy='before')])
case('new action fails', get, D(S(['s3:GetObject', 's3:PutObject'], B + '/*')), 'FAIL', [R('newAccess', 0, ['s3:PutObject'], B + '/a')], removed=[])
case('new access names the statement Sid', get, D(S('s3:GetObject', B + '/*'), S('s3:PutObject', B + '/*', sid='Write')), 'FAIL', [R('newAccess', 1, ['s3:PutObject'], B + '/a', sid='Write')])
case('new service fails', get, D(S('s3:GetObject', B + '/*'), S('sqs:SendMessage', '*')), 'FAIL', [R('newAccess', 1, ['sqs:SendMessage'], None)], removed=[])
case('service wildcard broadening fails', D(S('sqs:SendMessage', '*')), D(S('sqs:*', '*')), 'FAIL', [R('newAccess', 0, [a for a in expand('sqs:*') if a != 'sqs:SendMessage'], None)], removed=[])
case('full admin after least privilege fails', get, D(S('*', '*')), 'FAIL', [R('newAccess', 0, compress([a for p in prefixes for a in actions[p] if a != 's3:GetObject']), None), R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::a')], removed=[])
case('question mark action pattern narrower passes', D(S('sqs:*Queue', '*')), D(S('sqs:?eleteQueue', '*')), 'PASS', removed=[R('removedAccess', 0, sorted(set(expand('sqs:*Queue')) - {'sqs:DeleteQueue'}), None, policy='before')])
case('question mark action pattern broader fails', D(S('sqs:DeleteQueue', '*')), D(S('sqs:?????eQueue', '*')), 'FAIL', [R('newAccess', 0, sorted(set(expand('sqs:?????eQueue')) - {'sqs:DeleteQueue'}), None)], removed=[])
# NotAction
case('NotAction before covers explicit after', D(S('iam:*', '*', notAction=True)), D(S('s3:*', '*')), 'PASS')
case('NotAction after is broader than explicit before', D(S('s3:*', '*')), D(S('iam:*', '*', notAction=True)), 'FAIL',
     [R('newAccess', 0, compress([a for p in prefixes for a in actions[p] if p not in ('iam', 's3')]), None)])
case('NotAction after granting the excluded service fails', D(S('iam:*', '*', notAction=True)), D(S('iam:PassRole', '*')), 'FAIL', [R('newAccess', 0, ['iam:PassRole'], None)])
case('NotAction with a smaller exclusion fails', D(S(['iam:*', 'organizations:*'], '*', notAction=True)), D(S('iam:*', '*', notAction=True)), 'FAIL', [R('newAccess', 0, ['organizations:*'], None)])
case('NotAction with a larger exclusion passes', D(S('iam:*', '*', notAction=True)), D(S(['iam:*', 'organizations:*'], '*', notAction=True)), 'PASS')
case('explicit list equal to NotAction complement passes', D(S(expand('sqs:*'), '*')), D(S([a for a in expand('sqs:*') if a != 'sqs:DeleteQueue'], '*')), 'PASS')
# resources
case('resource broadening by one star fails', D(S('s3:GetObject', B + '/reports/*')), D(S('s3:GetObject', B + '/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
case('resource narrowing passes', get, D(S('s3:GetObject', B + '/reports/*')), 'PASS')
case('bucket wildcard broadening fails', get, D(S('s3:GetObject', 'arn:aws:s3:::*/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::a/a')])
case('resource star after fails', get, D(S('s3:GetObject', '*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::a')])
case('star inside an ARN segment covers a literal', D(S('s3:GetObject', 'arn:aws:s3:::logs-*/*')), D(S('s3:GetObject', 'arn:aws:s3:::logs-2024/app/*')), 'PASS')
case('literal does not cover a star', D(S('s3:GetObject', 'arn:aws:s3:::logs-2024/*')), D(S('s3:GetObject', 'arn:aws:s3:::logs-*/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::logs-a/a')])
case('question mark resource narrower passes', D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q*')), D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q?')), 'PASS')
case('question mark resource broader fails', D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q1')), D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q?')), 'FAIL', [R('newAccess', 0, ['sqs:SendMessage'], 'arn:aws:sqs:us-east-1:111122223333:qa')])
case('region wildcard fails', D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q')), D(S('sqs:SendMessage', 'arn:aws:sqs:*:111122223333:q')), 'FAIL', [R('newAccess', 0, ['sqs:SendMessage'], 'arn:aws:sqs:a:111122223333:q')])
case('account wildcard fails', D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q')), D(S('sqs:SendMessage', 'arn:aws:sqs:us-east-1:*:q')), 'FAIL', [R('newAccess', 0, ['sqs:SendMessage'], 'arn:aws:sqs:us-east-1:a:q')])
case('ARN case differences are new access', get, D(S('s3:GetObject', 'arn:aws:s3:::B/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::B/a')])
case('added resource fails', get, D(S('s3:GetObject', [B + '/*', 'arn:aws:s3:::c/*'])), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::c/a')])
case('removed resource passes', D(S('s3:GetObject', [B + '/*', 'arn:aws:s3:::c/*'])), get, 'PASS')
case('two before resources cover after union', D(S('s3:GetObject', [B + '/a*', B + '/b*'])), D(S('s3:GetObject', [B + '/ab', B + '/b/c'])), 'PASS')
# NotResource
case('NotResource after is broader than Resource', D(S('s3:GetObject', B + '/public/*')), D(S('s3:GetObject', B + '/secret/*', notResource=True)), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
case('NotResource before covers a disjoint Resource', D(S('s3:GetObject', B + '/secret/*', notResource=True)), D(S('s3:GetObject', B + '/public/*')), 'PASS')
case('NotResource before does not cover the excluded prefix', D(S('s3:GetObject', B + '/secret/*', notResource=True)), D(S('s3:GetObject', B + '/secret/x')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/secret/x')])
case('NotResource narrowing the exclusion fails', D(S('s3:GetObject', B + '/secret/*', notResource=True)), D(S('s3:GetObject', B + '/secret/top/*', notResource=True)), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/secret/a')])
# denies
case('removed deny fails', D(S('s3:*', B + '/*'), S('s3:DeleteObject', B + '/*', effect='Deny')), D(S('s3:*', B + '/*')), 'FAIL', [R('newAccess', 0, ['s3:DeleteObject'], B + '/a')])
case('added deny passes', D(S('s3:*', B + '/*')), D(S('s3:*', B + '/*'), S('s3:DeleteObject', B + '/*', effect='Deny')), 'PASS')
case('narrowed deny resource fails', D(S('s3:GetObject', B + '/*'), S('s3:GetObject', B + '/private/*', effect='Deny')), D(S('s3:GetObject', B + '/*'), S('s3:GetObject', B + '/private/old/*', effect='Deny')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/private/')])
case('deny in a separate policy of the set is honoured', [D(S('s3:*', B + '/*')), D(S('s3:DeleteObject', '*', effect='Deny'))], [D(S('s3:*', B + '/*')), D(S('s3:DeleteObject', '*', effect='Deny'))], 'PASS')
case('deny removed from a set of policies fails', [D(S('s3:*', B + '/*')), D(S('s3:DeleteObject', '*', effect='Deny'))], [D(S('s3:*', B + '/*'))], 'FAIL', [R('newAccess', 0, ['s3:DeleteObject'], B + '/a', policy='after[0]')])
case('after deny cancels its own broadening', D(S('s3:GetObject', B + '/public/*')), D(S('s3:GetObject', B + '/*'), S('s3:GetObject', B + '/public/*', effect='Deny', notResource=True)), 'PASS')
case('deny with NotAction in after passes', D(S('s3:GetObject', B + '/*')), D(S('s3:*', B + '/*'), S('s3:GetObject', B + '/*', effect='Deny', notAction=True)), 'PASS')
# conditions
ip = {'IpAddress': {'aws:SourceIp': '10.0.0.0/8'}}
mfa = {'Bool': {'aws:MultiFactorAuthPresent': 'true'}}
case('added condition is narrower', get, D(S('s3:GetObject', B + '/*', cond=ip)), 'PASS')
case('removed condition is broader', D(S('s3:GetObject', B + '/*', cond=ip)), get, 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
case('same condition passes', D(S('s3:GetObject', B + '/*', cond=ip)), D(S('s3:GetObject', B + '/*', cond=ip)), 'PASS')
case('different condition is possibly new', D(S('s3:GetObject', B + '/*', cond=ip)), D(S('s3:GetObject', B + '/*', cond=mfa)), 'FAIL', [R('conditionsDiffer', 0, ['s3:GetObject'], B + '/a')])
case('condition values reordered pass', D(S('s3:GetObject', B + '/*', cond={'IpAddress': {'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16']}})), D(S('s3:GetObject', B + '/*', cond={'IpAddress': {'aws:SourceIp': ['192.168.0.0/16', '10.0.0.0/8']}})), 'PASS')
case('condition key case differences pass', D(S('s3:GetObject', B + '/*', cond=ip)), D(S('s3:GetObject', B + '/*', cond={'IpAddress': {'AWS:SOURCEIP': '10.0.0.0/8'}})), 'PASS')
case('one more condition entry is narrower', D(S('s3:GetObject', B + '/*', cond=ip)), D(S('s3:GetObject', B + '/*', cond={**ip, **mfa})), 'PASS')
case('one condition entry fewer is broader', D(S('s3:GetObject', B + '/*', cond={**ip, **mfa})), D(S('s3:GetObject', B + '/*', cond=ip)), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
case('conditional deny kept passes', D(S('s3:*', B + '/*'), S('s3:*', '*', effect='Deny', cond={'Bool': {'aws:SecureTransport': 'false'}})), D(S('s3:*', B + '/*'), S('s3:*', '*', effect='Deny', cond={'Bool': {'aws:SecureTransport': 'false'}})), 'PASS')
case('conditional deny removed fails', D(S('s3:GetObject', B + '/*'), S('s3:GetObject', '*', effect='Deny', cond={'Bool': {'aws:SecureTransport': 'false'}})), D(S('s3:GetObject', B + '/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
case('conditional allow replacing an unconditional one passes', D(S('sqs:SendMessage', '*')), D(S('sqs:SendMessage', '*', cond={'StringEquals': {'aws:RequestedRegion': 'us-east-1'}})), 'PASS')
tls = {'Bool': {'aws:SecureTransport': 'false'}}
case('changed deny condition is possibly new and names the deny', D(S('s3:GetObject', B + '/*'), S('s3:*', '*', effect='Deny', cond=tls)), D(S('s3:GetObject', B + '/*'), S('s3:*', '*', effect='Deny', cond={'BoolIfExists': {'aws:SecureTransport': 'false'}})), 'FAIL', [R('conditionsDiffer', 1, ['s3:GetObject'], B + '/a', deny=True)])
case('one more condition entry on a deny is broader', D(S('s3:GetObject', B + '/*'), S('s3:*', '*', effect='Deny', cond=tls)), D(S('s3:GetObject', B + '/*'), S('s3:*', '*', effect='Deny', cond={**tls, **ip})), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/a')])
# dropping an entry is definite new access only when no entry left false shares a key with one left true:
# here `Bool` implies the Deny's `BoolIfExists` on the same key (found by the property test)
team = {'StringEquals': {'aws:PrincipalTag/team': 'a'}}
guarded = [S('*', '*', effect='Deny', cond={'BoolIfExists': {'aws:SecureTransport': 'false'}}), S('s3:PutObject', B + '/*', cond={**tls, **team})]
case('a dropped entry on a key a deny also reads is possibly new', D(*guarded), D(*guarded, S('s3:PutObject', B + '/*', cond=tls)), 'FAIL', [R('conditionsDiffer', 2, ['s3:PutObject'], B + '/a')])
ifexists = {'BoolIfExists': {'aws:SecureTransport': 'false'}}
tlsdeny = S('s3:GetObject', '*', effect='Deny', notAction=True, cond=ifexists)
case('definite and possible grants at one witness stay apart', D(tlsdeny), D(tlsdeny, S('s3:Get*', '*', cond=tls)), 'FAIL', [R('conditionsDiffer', 1, [a for a in expand('s3:Get*') if a != 's3:GetObject'], None), R('newAccess', 1, ['s3:GetObject'], None)])
# more than ten condition entries: only those of statements sharing actions with a grant are enumerated
def tag(k): return {'StringEquals': {'aws:PrincipalTag/' + k: 'v'}}
pads = [S('sqs:SendMessage', '*', cond=tag('pad%d' % i)) for i in range(8)]
case('a changed deny among many unrelated conditions is possibly new', D(S('s3:GetObject', B + '/*', cond=tag('A')), S('s3:GetObject', B + '/*', effect='Deny', cond=tag('B')), *pads), D(S('s3:GetObject', B + '/*', cond=tag('A')), S('s3:GetObject', B + '/*', effect='Deny', cond=tag('C')), S('s3:GetObject', B + '/*', effect='Deny', cond=tag('D')), *pads), 'FAIL', [R('conditionsDiffer', 1, ['s3:GetObject'], B + '/a', deny=True)])
keys = ['k%02d' % i for i in range(11)]
case('eleven repeated conditional denies pass', D(S('s3:GetObject', B + '/*'), *[S('s3:GetObject', B + '/*', effect='Deny', cond=tag(k)) for k in keys]), D(S('s3:GetObject', B + '/*'), *[S('s3:GetObject', '*', effect='Deny', cond=tag(k)) for k in keys]), 'PASS')
case('eleven conditional denies rewritten are undecided', D(S('s3:GetObject', B + '/*'), *[S('s3:GetObject', B + '/*', effect='Deny', cond=tag(k)) for k in keys]), D(S('s3:GetObject', B + '/*'), *[S('s3:GetObject', B + '/x*', effect=e, cond=tag(k), notResource=n) for k in keys for (e, n) in [('Deny', False), ('Deny', True)]]), 'FAIL', [R('undecided', 0, ['s3:GetObject'], None, cause='conditions')])
# policy variables
home = B + '/home/${aws:username}/*'
case('policy variable resource narrower than star passes', D(S('s3:GetObject', B + '/home/*')), D(S('s3:GetObject', home)), 'PASS')
case('star broader than policy variable fails', D(S('s3:GetObject', home)), D(S('s3:GetObject', B + '/home/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/home/a')])
case('same policy variable passes', D(S('s3:GetObject', home)), D(S('s3:GetObject', home)), 'PASS')
case('different policy variable fails', D(S('s3:GetObject', home)), D(S('s3:GetObject', B + '/home/${aws:userid}/*')), 'FAIL', [R('newAccess', 0, ['s3:GetObject'], B + '/home/${aws:userid}/a')])
# not granted
case('not granted action absent passes', get, get, 'PASS', notGranted='s3:DeleteObject\n')
case('not granted action present fails', get, D(S(['s3:GetObject', 's3:DeleteObject'], B + '/*')), 'FAIL',
     [R('listedAccess', 0, ['s3:DeleteObject'], B + '/a'), R('newAccess', 0, ['s3:DeleteObject'], B + '/a')], notGranted='s3:DeleteObject\n')
case('not granted already granted before still fails', D(S('s3:*', B + '/*')), D(S('s3:*', B + '/*')), 'FAIL', [R('listedAccess', 0, ['s3:DeleteObject'], B + '/a')], notGranted='# destructive\ns3:DeleteObject\n')
case('not granted resource outside grants passes', get, get, 'PASS', notGranted='arn:aws:s3:::secret/key\n')
case('not granted resource inside grants fails', get, get, 'FAIL', [R('listedAccess', 0, ['s3:GetObject'], B + '/key')], notGranted=B + '/key\n')
case('not granted action and resource pair', D(S(['s3:GetObject', 's3:PutObject'], B + '/*')), D(S(['s3:GetObject', 's3:PutObject'], B + '/*')), 'FAIL', [R('listedAccess', 0, ['s3:PutObject'], B + '/key')], notGranted='s3:PutObject\n' + B + '/key\n')
case('not granted denied by after passes', D(S('s3:*', B + '/*')), D(S('s3:*', B + '/*'), S('s3:DeleteObject', '*', effect='Deny')), 'PASS', notGranted='s3:DeleteObject\n')
case('not granted pattern absent passes', D(S('s3:*', B + '/*')), get, 'PASS', notGranted='s3:Delete*\n')
case('not granted pattern present fails', get, D(S(['s3:GetObject', 's3:DeleteObjectVersion'], B + '/*')), 'FAIL', [R('listedAccess', 0, ['s3:DeleteObjectVersion'], B + '/a'), R('newAccess', 0, ['s3:DeleteObjectVersion'], B + '/a')], notGranted='s3:Delete*\n')
case('not granted resource pattern meeting a grant fails', D(S('s3:GetObject', 'arn:aws:s3:::prod-data/x')), D(S('s3:GetObject', 'arn:aws:s3:::prod-data/x')), 'FAIL', [R('listedAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::prod-data/x')], notGranted='arn:aws:s3:::prod-*\n')
case('not granted resource pattern outside grants passes', get, get, 'PASS', notGranted='arn:aws:s3:::prod-*\n')
case('not granted resource counts only actions acting on it', D(S(['ec2:DescribeInstances', 's3:GetObject'], '*')), D(S(['ec2:DescribeInstances', 's3:GetObject'], '*')), 'FAIL', [R('listedAccess', 0, ['s3:GetObject'], 'arn:aws:s3:::secret-bucket/key')], notGranted='arn:aws:s3:::secret-bucket/key\n')
case('not granted resource of another service passes', D(S('ec2:DescribeInstances', '*')), D(S('ec2:DescribeInstances', '*')), 'PASS', notGranted='arn:aws:s3:::secret-bucket/key\n')

json.dump(cases, open(os.path.join(root, 'Fixtures/diff-decisions.json'), 'w'), indent=1)
open(os.path.join(root, 'Fixtures/diff-decisions.json'), 'a').write('\n')
print(len(cases))
