// An independent client of autopilot.rca.v1.RcaService: npm's @grpc/grpc-js and @grpc/proto-loader, loading the
// published protos/autopilot/rca/v1/rca.proto. RcaGrpcNodeClientTests runs it against a real server:
//
//   node rca-client.js <host:port> <path to rca.proto> <incident id>
//
// It prints one JSON object per line on stdout, each with a "step":
//   explain, explain-gzip, explain-missing, analyze-invalid, list (all pages), watch-ready (after the snapshot:
//   the test then makes the engines open a new incident), watch-opened (that incident), watch-cancelled, done.
// With "--list-all" instead of an incident id it only lists every incident (default page size, client limits as
// grpc-js has them, 4 MiB a message) and prints one "listed" line per incident (id, finding and timeline counts, the
// ids and entries it carried), then "done".
// Exit codes: 0 done, 1 a call failed unexpectedly (the error on stderr), 2 usage, 3 timed out.
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, protoPath, incidentId] = process.argv.slice(2);
if (!target || !protoPath || !incidentId) {
  console.error('usage: node rca-client.js <host:port> <path to rca.proto> <incident id>');
  process.exit(2);
}

const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const { RcaService } = grpc.loadPackageDefinition(definition).autopilot.rca.v1;
const plain = new RcaService(target, grpc.credentials.createInsecure());
// grpc-js compresses requests with gzip when asked; the server then answers in gzip too.
const gzip = new RcaService(target, grpc.credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 });

const timeout = setTimeout(() => {
  console.error('rca-client: timed out after 90 s');
  process.exit(3);
}, 90_000);

function emit(step, data) {
  process.stdout.write(JSON.stringify({ step, ...data }) + '\n');
}

function unary(client, method, request) {
  return new Promise((resolve) => {
    client[method](request, { deadline: Date.now() + 30_000 }, (error, reply) => resolve({ error, reply }));
  });
}

async function must(client, method, request) {
  const { error, reply } = await unary(client, method, request);
  if (error) {
    throw new Error(`${method} failed: ${error.code} ${error.details}`);
  }
  return reply;
}

function summarize(answer) {
  return {
    incident_id: answer.incident_id,
    root_causes: answer.root_causes.map((r) => ({ urn: r.urn, score: r.score, evidence: r.evidence.map((e) => e.type) })),
    actions: answer.actions.map((a) => ({ action: a.action, target: a.target, risk: a.risk })),
    blast_radius: answer.blast_radius,
    timeline_kinds: answer.timeline.map((t) => t.kind),
    from_unix_nano: answer.from_unix_nano,
    explainer: answer.explainer,
    stakeholder_update: answer.stakeholder_update,
  };
}

function watch(snapshotIds) {
  return new Promise((resolve, reject) => {
    const call = plain.WatchIncidents({ send_snapshot: true, include_findings: true, status: 'INCIDENT_STATUS_UNSPECIFIED' });
    const snapshot = [];
    const findings = [];
    let opened = null;
    call.on('data', (event) => {
      switch (event.type) {
        case 'WATCH_EVENT_TYPE_SNAPSHOT':
          snapshot.push(event.incident.id);
          break;
        case 'WATCH_EVENT_TYPE_SNAPSHOT_COMPLETE':
          emit('watch-ready', { snapshot });
          break;
        case 'WATCH_EVENT_TYPE_FINDING':
          findings.push({ id: event.finding.id, urn: event.finding.urn, kind: event.finding.kind });
          break;
        case 'WATCH_EVENT_TYPE_OPENED':
          if (opened === null && !snapshot.includes(event.incident.id) && !snapshotIds.includes(event.incident.id)) {
            opened = event;
            emit('watch-opened', {
              event_id: event.event_id,
              time_unix_nano: event.time_unix_nano,
              payload: event.payload,
              incident: {
                id: event.incident.id,
                status: event.incident.status,
                severity: event.incident.severity,
                affected_urns: event.incident.affected_urns,
                finding_ids: event.incident.finding_ids,
                updated_unix_nano: event.incident.updated_unix_nano,
              },
              findings_before: findings,
            });
            call.cancel();
          }
          break;
        default:
          break;
      }
    });
    call.on('error', (error) => {
      if (error.code === grpc.status.CANCELLED && opened !== null) {
        emit('watch-cancelled', { code: error.code });
        resolve();
      } else {
        reject(new Error(`WatchIncidents ended: ${error.code} ${error.details}`));
      }
    });
    call.on('end', () => reject(new Error('WatchIncidents ended without an error before the new incident')));
  });
}

async function listAll() {
  let pages = 0;
  let page_token = '';
  do {
    const page = await must(plain, 'ListIncidents', { page_token });
    for (const i of page.incidents) {
      emit('listed', {
        id: i.id, page: pages, finding_count: Number(i.finding_count), timeline_count: Number(i.timeline_count),
        finding_ids: i.finding_ids, timeline_times: i.timeline.map((t) => t.time_unix_nano),
      });
    }
    page_token = page.next_page_token;
    pages += 1;
  } while (page_token !== '' && pages < 100);
  emit('done', { pages });
}

async function main() {
  if (incidentId === '--list-all') {
    return listAll();
  }

  emit('explain', summarize(await must(plain, 'Explain', { incident_id: incidentId })));
  emit('explain-gzip', summarize(await must(gzip, 'Explain', { incident_id: incidentId, explainer: 'EXPLAINER_RULES' })));

  const missing = await unary(plain, 'Explain', { incident_id: 'inc-nope' });
  emit('explain-missing', { code: missing.error && missing.error.code, details: missing.error && missing.error.details });

  const invalid = await unary(plain, 'Analyze', { from_unix_nano: '1700000600000000000', to_unix_nano: '1700000000000000000' });
  emit('analyze-invalid', { code: invalid.error && invalid.error.code, details: invalid.error && invalid.error.details });

  const ids = [];
  let pages = 0;
  let page_token = '';
  do {
    const page = await must(plain, 'ListIncidents', { status: 'INCIDENT_STATUS_OPEN', page_size: 1, page_token });
    ids.push(...page.incidents.map((i) => i.id));
    page_token = page.next_page_token;
    pages += 1;
  } while (page_token !== '' && pages < 100);
  emit('list', { ids, pages });

  await watch(ids);
  emit('done', {});
}

main().then(
  () => {
    clearTimeout(timeout);
    plain.close();
    gzip.close();
  },
  (error) => {
    console.error(`rca-client: ${error.message}`);
    process.exit(1);
  },
);
