'use strict';
/*
 * The dashboard's own login accounts (PostgreSQL). Function names happen to match storage
 * operations - getUser, getUsers, createUser, deleteUser, authenticateUser - but these are ours.
 */
const crypto = require('crypto');
const { promisify } = require('util');
const pool = require('../db/pool');

const scrypt = promisify(crypto.scrypt);

async function hash(password, salt = crypto.randomBytes(16).toString('hex')) {
  const key = await scrypt(password, salt, 64);
  return `${salt}:${key.toString('hex')}`;
}

async function getUser(id) {
  const { rows } = await pool.query('SELECT id, email, role, created_at FROM dashboard_users WHERE id = $1', [id]);
  return rows[0] || null;
}

async function getUsers() {
  const { rows } = await pool.query('SELECT id, email, role FROM dashboard_users ORDER BY email');
  return rows;
}

async function createUser(email, password, role = 'viewer') {
  const { rows } = await pool.query(
    'INSERT INTO dashboard_users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id',
    [email.toLowerCase(), await hash(password), role]
  );
  return rows[0].id;
}

async function deleteUser(id) {
  await pool.query('DELETE FROM dashboard_users WHERE id = $1', [id]);
}

async function authenticateUser(email, password) {
  const { rows } = await pool.query('SELECT id, password_hash FROM dashboard_users WHERE email = $1', [email.toLowerCase()]);
  if (!rows[0]) return null;
  const [salt] = rows[0].password_hash.split(':');
  return (await hash(password, salt)) === rows[0].password_hash ? rows[0].id : null;
}

function routes(app) {
  app.post('/api/login', async (req, res) => {
    const id = await authenticateUser(req.body.email, req.body.password);
    if (!id) return res.status(401).json({ success: false, error: { message: 'invalid login' } });
    req.session.userId = id;
    res.json({ success: true, results: await getUser(id) });
  });
  app.get('/api/users', async (req, res) => res.json({ success: true, results: await getUsers() }));
  app.post('/api/users', async (req, res) => {
    const id = await createUser(req.body.email, req.body.password, req.body.role);
    res.status(201).json({ success: true, results: { id } });
  });
  app.delete('/api/users/:id', async (req, res) => {
    await deleteUser(Number(req.params.id));
    res.json({ success: true });
  });
}

module.exports = { getUser, getUsers, createUser, deleteUser, authenticateUser, routes };
