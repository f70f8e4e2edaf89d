/** Images and systems the importers recognise as datastores or brokers. */
import type { StoreKind } from './model';

const STORES: ReadonlyMap<string, { kind: StoreKind; technology: string }> = new Map([
  ['postgres', { kind: 'database', technology: 'postgres' }],
  ['postgresql', { kind: 'database', technology: 'postgres' }],
  ['postgis', { kind: 'database', technology: 'postgres' }],
  ['timescaledb', { kind: 'database', technology: 'postgres' }],
  ['mysql', { kind: 'database', technology: 'mysql' }],
  ['mariadb', { kind: 'database', technology: 'mariadb' }],
  ['mongo', { kind: 'database', technology: 'mongodb' }],
  ['mongodb', { kind: 'database', technology: 'mongodb' }],
  ['redis', { kind: 'cache', technology: 'redis' }],
  ['valkey', { kind: 'cache', technology: 'valkey' }],
  ['keydb', { kind: 'cache', technology: 'keydb' }],
  ['memcached', { kind: 'cache', technology: 'memcached' }],
  ['cassandra', { kind: 'database', technology: 'cassandra' }],
  ['scylla', { kind: 'database', technology: 'scylladb' }],
  ['scylladb', { kind: 'database', technology: 'scylladb' }],
  ['elasticsearch', { kind: 'search', technology: 'elasticsearch' }],
  ['opensearch', { kind: 'search', technology: 'opensearch' }],
  ['solr', { kind: 'search', technology: 'solr' }],
  ['couchdb', { kind: 'database', technology: 'couchdb' }],
  ['couchbase', { kind: 'database', technology: 'couchbase' }],
  ['cockroach', { kind: 'database', technology: 'cockroachdb' }],
  ['cockroachdb', { kind: 'database', technology: 'cockroachdb' }],
  ['neo4j', { kind: 'database', technology: 'neo4j' }],
  ['influxdb', { kind: 'database', technology: 'influxdb' }],
  ['clickhouse', { kind: 'database', technology: 'clickhouse' }],
  ['clickhouse-server', { kind: 'database', technology: 'clickhouse' }],
  ['mssql', { kind: 'database', technology: 'sqlserver' }],
  ['oracle', { kind: 'database', technology: 'oracle' }],
  ['dynamodb-local', { kind: 'database', technology: 'dynamodb' }],
  ['etcd', { kind: 'database', technology: 'etcd' }],
  ['minio', { kind: 'bucket', technology: 'minio' }],
]);

const BROKERS: ReadonlyMap<string, string> = new Map([
  ['kafka', 'kafka'],
  ['cp-kafka', 'kafka'],
  ['cp-server', 'kafka'],
  ['redpanda', 'redpanda'],
  ['rabbitmq', 'rabbitmq'],
  ['nats', 'nats'],
  ['nats-streaming', 'nats'],
  ['pulsar', 'pulsar'],
  ['pulsar-all', 'pulsar'],
  ['activemq', 'activemq'],
  ['activemq-artemis', 'activemq'],
  ['artemis', 'activemq'],
  ['emqx', 'mqtt'],
  ['mosquitto', 'mqtt'],
  ['eclipse-mosquitto', 'mqtt'],
  ['zookeeper', 'zookeeper'],
  ['cp-zookeeper', 'zookeeper'],
]);

/**
 * The last path segment of an image reference without registry, tag or digest
 * (`docker.io/bitnami/postgresql:16@sha256:…` → `postgresql`).
 */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  return last.split(':')[0].toLowerCase();
}

export function storeForImage(image: string): { kind: StoreKind; technology: string } | undefined {
  return STORES.get(imageName(image));
}

export function brokerForImage(image: string): string | undefined {
  return BROKERS.get(imageName(image));
}

/** A name that says "database" by convention: `orders-db`, `user-database`. */
export function namedLikeDatabase(name: string): boolean {
  return /-(db|database)$/i.test(name);
}

/** The store kind for an OpenTelemetry `db.system` value. */
export function storeKindForSystem(system: string): StoreKind {
  const s = system.toLowerCase();
  if (s === 'redis' || s === 'memcached' || s === 'valkey') return 'cache';
  if (s === 'elasticsearch' || s === 'opensearch' || s === 'solr') return 'search';
  if (s === 's3' || s === 'aws.s3') return 'bucket';
  return 'database';
}

/** The protocol word for a port name, `appProtocol` or URL scheme; undefined when it says nothing. */
export function protocolFor(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  if (/^grpc/.test(w)) return 'grpc';
  if (/^(https?|http2|h2c|ws|wss)\b|^https?-|^web$/.test(w) || w === 'kubernetes.io/h2c' || w === 'kubernetes.io/ws' || w === 'kubernetes.io/wss') return 'http';
  if (/^amqps?\b/.test(w)) return 'amqp';
  if (/^graphql\b/.test(w)) return 'graphql';
  if (/^thrift\b/.test(w)) return 'thrift';
  return undefined;
}
