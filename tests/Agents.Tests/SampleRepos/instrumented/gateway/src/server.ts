import Fastify from 'fastify';
import { Kafka } from 'kafkajs';

const app = Fastify();
const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();

app.get('/healthz', async () => ({ status: 'ok' }));

app.get('/search', async (request) => {
  const response = await fetch(`http://search:5000/search?q=${encodeURIComponent(String((request.query as any).q ?? ''))}`);
  await producer.send({ topic: 'gateway.requests', messages: [{ value: 'search' }] });
  return response.json();
});

producer.connect().then(() => app.listen({ port: 8080, host: '0.0.0.0' }));
