const { Kafka } = require('kafkajs');
const { saveNotification } = require('./db');
const { sendEmail } = require('./mailer');

const kafka = new Kafka({ clientId: 'notifications', brokers: (process.env.KAFKA_BROKERS || 'kafka:9092').split(',') });
const consumer = kafka.consumer({ groupId: 'notifications' });
const producer = kafka.producer();

async function startConsumer() {
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: 'orders.created', fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const order = JSON.parse(message.value.toString());
      const id = await saveNotification(order.id, order.customerId);
      await sendEmail(order.customerId, `Order ${order.id} received`);
      await producer.send({
        topic: 'notifications.sent',
        messages: [{ key: String(id), value: JSON.stringify({ id, orderId: order.id }) }],
      });
    },
  });
}

module.exports = { startConsumer };
