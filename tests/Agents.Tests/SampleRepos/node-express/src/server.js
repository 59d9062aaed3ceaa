const express = require('express');
const { startConsumer } = require('./consumer');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.json({ status: 'ok' }));

app.get('/notifications/:id', async (req, res) => {
  const { findNotification } = require('./db');
  const row = await findNotification(req.params.id);
  if (!row) return res.sendStatus(404);
  res.json(row);
});

const port = process.env.PORT || 3000;
app.listen(port, () => {
  console.log(`notifications listening on ${port}`);
  startConsumer().catch((err) => {
    console.error(err);
    process.exit(1);
  });
});
