#!/usr/bin/env python3
"""Prints the route map of docs/INTEGRATING.md (a Mermaid flowchart) from the route files: every route, the REST
operations that call it, the routes it calls (direct:), the routes its error handler calls, and the S3 buckets and
RabbitMQ it talks to; a templatedRoute as the route it makes from its routeTemplate. Run it after editing routes:
python3 docs/route-map.py routes > /tmp/map.mmd (needs PyYAML)."""
import yaml, glob, os, re, sys
routes_dir = sys.argv[1] if len(sys.argv) > 1 else 'routes'
direct_owner = {}
routes = []  # (file, id, from, calls)
failure_handlers = {}  # routeConfiguration id -> direct: calls of its onException
config_of = {}  # route id -> routeConfigurationId
rest_ops = []  # (file, opid, method, path, to)
def walk(node, calls):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ('to', 'toD', 'wireTap', 'enrich') and isinstance(v, str):
                calls.append(v)
            elif k in ('to',) and isinstance(v, dict) and 'uri' in v:
                calls.append(v['uri'])
            else:
                walk(v, calls)
    elif isinstance(node, list):
        for x in node: walk(x, calls)
files_items = [(f, yaml.safe_load(open(f)) or []) for f in sorted(glob.glob(os.path.join(routes_dir, '*.camel.yaml')))]
templates = {item['routeTemplate']['id']: item['routeTemplate']['route']
             for (f, docs) in files_items for item in docs if 'routeTemplate' in item}
def instance(t):
    """A templatedRoute as the route it makes: the template's route with its {{parameters}} filled in."""
    text = yaml.safe_dump(templates[t['routeTemplateRef']])
    for p in t.get('parameters', []):
        text = text.replace('{{' + p['name'] + '}}', str(p['value']))
    return dict(yaml.safe_load(text), id=t['routeId'])
for (f, docs) in files_items:
    for item in docs:
        if 'templatedRoute' in item:
            item = {'route': instance(item['templatedRoute'])}
        if 'route' in item:
            r = item['route']; calls = []
            walk(r['from'].get('steps', []), calls)
            uri = r['from']['uri']
            routes.append((os.path.basename(f), r['id'], uri, calls))
            config_of[r['id']] = r.get('routeConfigurationId')
            if uri.startswith('direct:'): direct_owner[uri] = r['id']
        if 'routeConfiguration' in item:
            rc = item['routeConfiguration']; calls = []
            walk(rc, calls)
            if rc.get('id'):
                failure_handlers[rc['id']] = [c for c in calls if c.startswith('direct:')]
        if 'rest' in item:
            for method in ('get','post','put','delete','patch'):
                for op in item['rest'].get(method, []) or []:
                    rest_ops.append((os.path.basename(f), op['id'], method.upper(), op['path'], op['to']))
print('flowchart LR')
files = sorted(set(r[0] for r in routes))
for f in files:
    print(f'  subgraph file-{f.replace(".camel.yaml","")}["{f}"]')
    for (ff, opid, m, p, to) in rest_ops:
        if ff == f:
            print(f'    {opid}(["{m} {p}"])')
    for (ff, rid, uri, calls) in routes:
        if ff == f:
            label = rid if uri.startswith('direct:') else f'{rid}<br/>{uri.split("?")[0]}'
            print(f'    {rid}["{label}"]')
    print('  end')
for (ff, opid, m, p, to) in rest_ops:
    print(f'  {opid} --> {direct_owner[to]}')
EXTERNAL = {'aws2-s3://{{bytekeep.storage.raw-bucket}}': ('s3-raw', 'S3: raw bucket'),
            'aws2-s3://{{bytekeep.distribution.export-bucket}}': ('s3-exports', 'S3: export bucket'),
            'spring-rabbitmq:default': ('rabbitmq', 'RabbitMQ')}
def external(uri):
    base = uri.split('?')[0]
    if base in EXTERNAL:
        return EXTERNAL[base]
    return re.sub('[^a-zA-Z0-9]+', '-', base).strip('-'), base
ext_nodes = {}
for (ff, rid, uri, calls) in routes:
    if not uri.startswith('direct:') and uri.startswith('spring-rabbitmq'):
        n, l = external(uri); ext_nodes[n] = l
        print(f'  {n} --> {rid}')
    for c in dict.fromkeys(calls):
        if c.startswith('direct:'):
            print(f'  {rid} --> {direct_owner[c]}')
        else:
            n, l = external(c); ext_nodes[n] = l
            print(f'  {rid} --> {n}')
for (ff, rid, uri, calls) in routes:
    for c in failure_handlers.get(config_of[rid], []):
        print(f'  {rid} -. on failure .-> {direct_owner[c]}')
for n, l in ext_nodes.items():
    print(f'  {n}[("{l}")]')
