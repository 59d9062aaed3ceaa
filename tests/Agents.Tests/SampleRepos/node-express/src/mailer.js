const MAIL_API = process.env.MAIL_API || 'http://mail-gateway:8025/api/send';

async function sendEmail(customerId, subject) {
  const response = await fetch(MAIL_API, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId, subject }),
  });
  if (!response.ok) throw new Error(`mail gateway answered ${response.status}`);
}

module.exports = { sendEmail };
