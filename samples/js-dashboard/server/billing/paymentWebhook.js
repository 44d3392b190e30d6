'use strict';
/*
 * Billing: the payment provider calls this webhook, and we call back its verification API.
 * Its responses look like { success, error: { code, message }, results } - a different API.
 */
const express = require('express');
const axios = require('axios');
const crypto = require('crypto');

const router = express.Router();
const PAY_API = 'https://api.paybridge.example/v3';
const pay = axios.create({
  baseURL: PAY_API,
  headers: { Authorization: `Bearer ${process.env.PAYBRIDGE_SECRET}` },
});

function validSignature(req) {
  const expected = crypto
    .createHmac('sha256', process.env.PAYBRIDGE_WEBHOOK_SECRET)
    .update(JSON.stringify(req.body))
    .digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(req.get('x-paybridge-signature') || ''));
}

async function verifyPayment(paymentId) {
  const response = await pay.get(`/payments/${paymentId}`);
  if (!response.data.success) {
    console.warn(`payment ${paymentId} not verified: ${response.data.error.message}`);
    return null;
  }
  return response.data.results;
}

router.post('/webhooks/paybridge', express.json(), async (req, res) => {
  if (!validSignature(req)) {
    return res.status(400).json({ success: false, error: { message: 'bad signature' } });
  }
  try {
    const payment = await verifyPayment(req.body.paymentId);
    if (payment && payment.status === 'captured') {
      await req.app.locals.db.query('UPDATE invoices SET paid_at = now() WHERE id = $1', [payment.reference]);
    }
    res.json({ success: true });
  } catch (error) {
    console.error('webhook failed', error.message);
    res.status(500).json({ success: false });
  }
});

router.get('/api/billing/status', async (req, res) => {
  const response = await pay.get('/account/status');
  res.json({
    ok: Boolean(response.data.success),
    balance: response.data.results ? response.data.results.balance : null,
    problem: response.data.error ? response.data.error.code : null,
  });
});

router.post('/api/billing/refund/:id', async (req, res) => {
  const response = await pay.post(`/payments/${req.params.id}/refunds`, { reason: req.body.reason });
  res.status(response.data.success ? 200 : 422).json({ refunded: Boolean(response.data.success) });
});

module.exports = router;
