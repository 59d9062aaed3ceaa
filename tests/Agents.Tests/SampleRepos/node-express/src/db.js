const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL || 'postgres://notifications@notifications-db:5432/notifications' });

async function saveNotification(orderId, customerId) {
  const result = await pool.query(
    'INSERT INTO notifications (order_id, customer_id, channel) VALUES ($1, $2, $3) RETURNING id',
    [orderId, customerId, 'email'],
  );
  return result.rows[0].id;
}

async function findNotification(id) {
  const result = await pool.query('SELECT id, order_id, channel, sent_at FROM notifications WHERE id = $1', [id]);
  return result.rows[0];
}

module.exports = { saveNotification, findNotification };
