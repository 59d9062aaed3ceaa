#!/usr/bin/env node
'use strict';

const express = require('express');
const { Kafka } = require('kafkajs');

const app = express();
const producer = new Kafka({ brokers: ['localhost:9092'] }).producer();

app.post('/checkout/:id', async (req, res) => {
  await producer.send({ topic: 'checkout.completed', messages: [{ key: req.params.id, value: '{}' }] });
  res.json({ id: req.params.id });
});

app.listen(3000);
