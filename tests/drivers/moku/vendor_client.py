#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Liquid Instruments Moku Datalogger client written only from the vendor's public REST API and
mokucli documentation, standard library only.

It does what a lab script following those pages does -- claim ownership (the key from the
Moku-Client-Key response header), describe, set_frontend, set_samplerate, generate_waveform,
start_logging / logging_progress / stop_logging, list and download the log file, start_streaming
and read the stream through the documented `mokucli stream --target=<port>` bridge until `EOS`,
relinquish ownership -- plus the refusals such a script meets (a second claim without
force_connect, a strict out-of-range value, an unknown operation). Everything it receives is
checked against the documentation; any deviation ends the scenario with a message and the run
with a non-zero exit code.

    vendor_client.py --sim BENCHSCOPE_SIM     start `benchscope-sim moku`, use it as `mokucli` too
    vendor_client.py --address HOST[:PORT] --mokucli PATH    a Moku (or simulator) already running

Exit codes: 0 all checks passed, 1 a check failed, 2 the simulator could not be started.
"""

import argparse
import http.client
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

CONNECT_TIMEOUT_S = 15.0     # the vendor's client: connect 15 s, read 30 s
READ_TIMEOUT_S = 30.0
ENVELOPE_KEYS = ('success', 'data', 'code', 'messages')
HARDWARE = {'Moku:Go': 'go', 'Moku:Lab': 'lab', 'Moku:Pro': 'pro', 'Moku:Delta': 'delta'}
LOG_TARGET = {'go': 'persist', 'lab': 'media', 'pro': 'ssd', 'delta': 'ssd'}
INPUT_RANGE = {'go': '10Vpp', 'lab': '10Vpp', 'pro': '4Vpp', 'delta': '10Vpp'}
RANGE_VOLTS = {'10Vpp': 10.0, '4Vpp': 4.0}
INPUTS = {'go': 2, 'lab': 2, 'pro': 4, 'delta': 8}
MIN_MOKUCLI = (4, 0, 1)      # the version the current client packages require


class CheckFailed(Exception):
    """Something a program written from the vendor's documentation would not accept."""


class MokuError(Exception):
    """success:false in a reply envelope (what the vendor's client raises)."""

    def __init__(self, operation, status, code, messages):
        super().__init__('%s: HTTP %s, code %s, messages %r' % (operation, status, code, messages))
        self.status = status
        self.code = code
        self.messages = messages


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def quote_non_finite(text):
    """Bare nan / inf / -inf outside strings -> the strings "nan", "inf", "-inf" (the REST API may
    send them; they are not JSON)."""
    out = []
    i = 0
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == '\\' and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            out.append(c)
            i += 1
            continue
        match = re.match(r'-?(?:nan|inf(?:inity)?)\b', text[i:], re.IGNORECASE)
        if match and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in '._')):
            word = match.group(0).lower()
            out.append('"nan"' if 'nan' in word else ('"-inf"' if word.startswith('-') else '"inf"'))
            i += len(match.group(0))
            continue
        out.append(c)
        i += 1
    return ''.join(out)


def parse_json(raw, what):
    text = raw.decode('utf-8')
    try:
        return json.loads(text)
    except ValueError:
        try:
            return json.loads(quote_non_finite(text))
        except ValueError as error:
            raise CheckFailed('%s: the reply is not JSON (%s): %r' % (what, error, text[:200]))


# ---------------------------------------------------------------------------------------------
# The REST API: http://<ip>/api/<group>/<operation>

class Moku:
    def __init__(self, address, verbose=False, name='client'):
        self.address = address           # "host" or "host:port" as a user types the IP address
        self.key = None
        self.verbose = verbose
        self.name = name
        self.requests = 0

    def _connection(self):
        host, port = self.address, 80
        if self.address.count(':') == 1:
            host, port = self.address.rsplit(':', 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=CONNECT_TIMEOUT_S)
        connection.connect()
        connection.sock.settimeout(READ_TIMEOUT_S)
        return connection

    def raw(self, method, path, body=None, with_key=True, content_type='application/json'):
        """One HTTP exchange; returns (status, headers, body bytes)."""
        headers = {}
        if with_key and self.key:
            headers['Moku-Client-Key'] = self.key
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers['Content-Type'] = content_type
        connection = self._connection()
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            self.requests += 1
            if self.verbose:
                print('  %s %s %s %s -> %s %s' % (self.name, method, path, data, response.status, payload[:300]))
            return response.status, response, payload
        finally:
            connection.close()

    def call(self, group, operation, body=None, method='POST', with_key=True):
        """An operation with an enveloped reply: returns (data, messages); raises MokuError on
        success:false and CheckFailed on anything the documentation does not describe."""
        if method == 'POST' and body is None:
            body = {}                    # "an empty object must be passed if the action doesn't take any"
        path = '/api/%s/%s' % (group, operation)
        status, response, payload = self.raw(method, path, body, with_key)
        key = response.getheader('Moku-Client-Key')
        if key and operation == 'claim_ownership':
            self.key = key
        require(status in (200, 404, 500, 502, 504) or 400 <= status < 500,
                '%s: unexpected HTTP status %d' % (path, status))
        if status == 404:
            raise MokuError(operation, status, None, [])
        envelope = parse_json(payload, path)
        require(isinstance(envelope, dict), '%s: the reply is not a JSON object: %r' % (path, envelope))
        missing = [k for k in ENVELOPE_KEYS if k not in envelope]
        require(not missing, '%s: the envelope lacks %s: %r' % (path, missing, envelope))
        require(isinstance(envelope['success'], bool), '%s: success is not a boolean: %r' % (path, envelope))
        messages = envelope['messages']
        require(messages is None or (isinstance(messages, list) and all(isinstance(m, str) for m in messages)),
                '%s: messages is neither null nor a list of strings: %r' % (path, messages))
        require(envelope['code'] is None or isinstance(envelope['code'], str),
                '%s: code is neither null nor a string: %r' % (path, envelope['code']))
        if not envelope['success'] or status != 200:
            require(not envelope['success'], '%s: HTTP %d with success:true' % (path, status))
            raise MokuError(operation, status, envelope['code'], messages or [])
        return envelope['data'], messages or []

    def datalogger(self, operation, body=None, method='POST'):
        # the documentation's cURL form: /api/datalogger/<operation>
        return self.call('datalogger', operation, body, method)[0]


def expect_refusal(function, what, codes=None):
    try:
        result = function()
    except MokuError as error:
        if codes is not None:
            require(error.code in codes, '%s: refused with code %r, expected one of %s (messages %r)'
                    % (what, error.code, codes, error.messages))
        return error
    raise CheckFailed('%s was accepted (%r) but should have been refused' % (what, result))


def close_to(a, b, relative=1e-9):
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)


# ---------------------------------------------------------------------------------------------
# Scenarios. Each starts with the device unowned and leaves it so.

class Context:
    def __init__(self, address, mokucli, verbose):
        self.address = address
        self.mokucli = mokucli
        self.verbose = verbose
        self.model = None

    def client(self, name='client'):
        return Moku(self.address, self.verbose, name)

    def claim(self, name='client'):
        moku = self.client(name)
        data, _ = moku.call('moku', 'claim_ownership', {})
        require(moku.key, 'claim_ownership: no Moku-Client-Key response header')
        return moku


def scenario_describe(ctx):
    moku = ctx.client()
    data, _ = moku.call('moku', 'describe', method='GET', with_key=False)
    require(isinstance(data, dict), 'describe: data is not an object: %r' % (data,))
    for key in ('mokuOS', 'hardware', 'proxy_version'):
        require(key in data, 'describe: no %r in %r' % (key, data))
    require(data['hardware'] in HARDWARE, 'describe: unknown hardware %r' % data['hardware'])
    require(int(data['proxy_version']) == 2, 'describe: proxy_version %r is not 2' % data['proxy_version'])
    ctx.model = HARDWARE[data['hardware']]
    print('     %s, MokuOS %s, proxy %s' % (data['hardware'], data['mokuOS'], data['proxy_version']))


def scenario_ownership(ctx):
    first = ctx.claim('first')
    try:
        # a second client that does not force the connection is refused while the first owns it
        second = ctx.client('second')
        refusal = expect_refusal(lambda: second.call('moku', 'claim_ownership', {'force_connect': False}),
                                 'a second claim_ownership with force_connect false')
        require(refusal.messages or refusal.status != 200,
                'the refused claim explains nothing (no messages): %r' % refusal)
        # the owner is still the owner
        first.call('moku', 'describe', method='GET')
        first.datalogger('set_samplerate', {'sample_rate': 1000})
        # a request without any client key must not change the settings of an owned device
        anonymous = ctx.client('anonymous')
        expect_refusal(lambda: anonymous.datalogger('set_samplerate', {'sample_rate': 2000}),
                       'set_samplerate without a client key on an owned Moku')
        # forcing takes the device over; the old key no longer works
        second.call('moku', 'claim_ownership', {'force_connect': True})
        require(second.key and second.key != first.key, 'force_connect gave no new client key')
        second.datalogger('set_samplerate', {'sample_rate': 1000})
        expect_refusal(lambda: first.datalogger('set_samplerate', {'sample_rate': 2000}),
                       'set_samplerate with the key of a client that was taken over')
        # force_connect is documented to default to true: an empty claim takes the device over too
        fourth = ctx.client('fourth')
        fourth.call('moku', 'claim_ownership', {})
        require(fourth.key and fourth.key != second.key, 'claim_ownership {} gave no new client key')
        expect_refusal(lambda: second.datalogger('set_samplerate', {'sample_rate': 2000}),
                       'set_samplerate with the key of a client taken over by an empty claim')
        fourth.call('moku', 'relinquish_ownership', {})
        # once released, a polite claim succeeds
        third = ctx.client('third')
        third.call('moku', 'claim_ownership', {'force_connect': False})
        require(third.key, 'claim after relinquish: no key')
        third.call('moku', 'relinquish_ownership', {})
    finally:
        first.key = None


def scenario_configure(ctx):
    moku = ctx.claim()
    try:
        rng = INPUT_RANGE[ctx.model]
        data = moku.datalogger('set_frontend', {'channel': 1, 'impedance': '1MOhm', 'coupling': 'DC', 'range': rng})
        require(isinstance(data, dict) and data.get('range') == rng and data.get('coupling') == 'DC'
                and data.get('impedance') == '1MOhm', 'set_frontend: reply %r' % (data,))
        data = moku.datalogger('set_samplerate', {'sample_rate': 1000})
        require(isinstance(data, dict) and close_to(float(data.get('sample_rate', -1)), 1000.0),
                'set_samplerate 1000: reply %r' % (data,))
        data = moku.datalogger('generate_waveform', {'channel': 1, 'type': 'Sine', 'amplitude': 1,
                                                     'frequency': 10000})
        require(isinstance(data, dict) and data.get('type') == 'Sine'
                and close_to(float(data.get('amplitude', -1)), 1.0)
                and close_to(float(data.get('frequency', -1)), 10000.0),
                'generate_waveform: reply %r' % (data,))
    finally:
        moku.call('moku', 'relinquish_ownership', {})


def scenario_refusals(ctx):
    moku = ctx.claim()
    try:
        error = expect_refusal(lambda: moku.datalogger('set_samplerate', {'sample_rate': 1e9, 'strict': True}),
                               'set_samplerate 1e9 (strict)', codes=('INVALID_PARAM',))
        require(error.messages and all(m.strip() for m in error.messages),
                'INVALID_PARAM without a readable message: %r' % error.messages)
        # non-strict: the device coerces the value and says so in messages
        data, messages = moku.call('datalogger', 'set_samplerate', {'sample_rate': 1e9, 'strict': False})
        require(isinstance(data, dict) and 10 <= float(data.get('sample_rate', -1)) < 1e9,
                'set_samplerate 1e9 (not strict): reply %r' % (data,))
        require(messages, 'set_samplerate 1e9 (not strict): coerced without a message')
        expect_refusal(lambda: moku.datalogger('set_frontend', {'channel': INPUTS[ctx.model] + 1,
                                                                'impedance': '1MOhm', 'coupling': 'DC',
                                                                'range': INPUT_RANGE[ctx.model]}),
                       'set_frontend on a channel the model does not have', codes=('INVALID_PARAM',))
        # an operation the device does not know: HTTP 404
        status, _, _ = moku.raw('POST', '/api/datalogger/no_such_operation', {})
        require(status == 404, 'an unknown operation answered HTTP %d, not 404' % status)
        status, _, _ = moku.raw('POST', '/api/moku/no_such_operation', {})
        require(status == 404, 'an unknown device operation answered HTTP %d, not 404' % status)
        moku.datalogger('set_samplerate', {'sample_rate': 1000})
    finally:
        moku.call('moku', 'relinquish_ownership', {})


def poll_progress(moku, until_complete, timeout_s):
    """logging_progress (GET, as the reference page says) every 0.5 s; returns the replies."""
    replies = []
    deadline = time.monotonic() + timeout_s
    while True:
        progress = moku.datalogger('logging_progress', method='GET')
        require(isinstance(progress, dict), 'logging_progress: data is not an object: %r' % (progress,))
        for key in ('running', 'complete'):
            require(isinstance(progress.get(key), bool), 'logging_progress: %r is not a boolean: %r'
                    % (key, progress))
        if replies and 'samples_logged' in progress and 'samples_logged' in replies[-1]:
            require(progress['samples_logged'] >= replies[-1]['samples_logged'],
                    'logging_progress: samples_logged went back: %r after %r' % (progress, replies[-1]))
        replies.append(progress)
        if progress['complete'] or not until_complete:
            return replies
        require(time.monotonic() < deadline, 'logging did not complete within %.0f s: %r'
                % (timeout_s, progress))
        time.sleep(0.5)


def check_file(moku, target, file_name, what):
    status, _, payload = moku.raw('GET', '/api/%s/list' % target, with_key=False)
    require(status == 200, 'list %s: HTTP %d' % (target, status))
    envelope = parse_json(payload, 'list')
    require(isinstance(envelope, dict) and envelope.get('success') is True, 'list %s: %r' % (target, envelope))
    listed = json.dumps(envelope['data'])
    require(file_name in listed, '%s: %s is not in the list of %s: %s' % (what, file_name, target, listed[:300]))
    status, response, payload = moku.raw('GET', '/api/%s/download/%s' % (target, file_name), with_key=False)
    require(status == 200, 'download %s/%s: HTTP %d' % (target, file_name, status))
    require(len(payload) > 0, 'download %s/%s: empty file' % (target, file_name))
    require(not payload.startswith(b'{"success"'), 'download %s/%s: an envelope instead of the file: %r'
            % (target, file_name, payload[:200]))
    return payload


def scenario_logging(ctx):
    moku = ctx.claim()
    try:
        rate, duration = 1000, 3
        moku.datalogger('set_samplerate', {'sample_rate': rate})
        data = moku.datalogger('start_logging', {'duration': duration, 'comments': 'vendor_client'})
        require(isinstance(data, dict), 'start_logging: data is not an object: %r' % (data,))
        file_name = data.get('file_name', '')
        require(re.fullmatch(r'MokuDataLoggerData_\d{8}_\d{6}\.li', file_name),
                'start_logging: file name %r is not <prefix>_<YYYYMMDD>_<HHMMSS>.li' % file_name)
        started = time.monotonic()
        # the reference page's cURL example POSTs {} to logging_progress (its front matter says GET)
        progress, _ = moku.call('datalogger', 'logging_progress', {})
        require(isinstance(progress, dict) and isinstance(progress.get('running'), bool),
                'logging_progress as POST {}: %r' % (progress,))
        first_poll = time.monotonic() - started
        replies = poll_progress(moku, True, duration + 30)
        if first_poll < duration - 1:    # (a machine that held us back for seconds may miss it)
            require(any(r['running'] and not r['complete'] for r in [progress] + replies),
                    'a %d s log was never seen running: %r' % (duration, replies[:3]))
        final = replies[-1]
        require(final.get('file_name', file_name) == file_name, 'logging_progress names another file: %r' % final)
        logged = final.get('samples_logged')
        require(logged is not None and abs(logged - rate * duration) <= 0.02 * rate * duration,
                'a complete %d s log at %d Sa/s reports %r samples' % (duration, rate, logged))
        require(not final['running'], 'complete but still running: %r' % final)
        check_file(moku, LOG_TARGET[ctx.model], file_name, 'the complete log')

        # a long run stopped early: the partial file stays downloadable
        data = moku.datalogger('start_logging', {'duration': 60, 'file_name_prefix': 'vendorstop'})
        partial = data.get('file_name', '')
        require(partial.startswith('vendorstop_') and partial.endswith('.li'),
                'start_logging with a prefix: file name %r' % partial)
        time.sleep(1.0)
        running = poll_progress(moku, False, 0)[-1]
        require(running['running'] and not running['complete'], 'a 60 s log is not running after 1 s: %r'
                % running)
        moku.datalogger('stop_logging', method='GET')
        stopped = poll_progress(moku, False, 0)[-1]
        require(not stopped['running'], 'still running after stop_logging: %r' % stopped)
        check_file(moku, LOG_TARGET[ctx.model], partial, 'the stopped log')
    finally:
        moku.call('moku', 'relinquish_ownership', {})


# ---------------------------------------------------------------------------------------------
# Streaming through `mokucli stream --target=<port>`

def mokucli_version(mokucli):
    result = subprocess.run([mokucli, '--version'], capture_output=True, text=True, timeout=60)
    require(result.returncode == 0, 'mokucli --version exited with %d: %s' % (result.returncode, result.stderr))
    text = result.stdout.strip()
    match = re.search(r'(\d+)\.(\d+)\.(\d+)', text)
    require(match, 'mokucli --version printed no version: %r' % text)
    version = tuple(int(x) for x in match.groups())
    require(version >= MIN_MOKUCLI, 'mokucli %s is older than %s' % (text, MIN_MOKUCLI))
    return text


def free_port():
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def read_bridge(ctx, stream_id, deadline_s):
    """Runs mokucli stream to a local port and reads NDJSON lines until EOS; returns the objects."""
    port = free_port()
    args = [ctx.mokucli, 'stream', '--ip-address=%s' % ctx.address, '--stream-id=%s' % stream_id,
            '--target=%d' % port]
    bridge = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = []
    threading.Thread(target=lambda: errors.append(bridge.stderr.read()), daemon=True).start()
    try:
        sock = None
        for _ in range(40):              # the vendor's client tries 5 times, 0.5 s apart; allow load
            try:
                sock = socket.create_connection(('localhost', port), timeout=5.0)
                break
            except OSError:
                require(bridge.poll() is None, 'mokucli stream exited with %s before listening'
                        % bridge.returncode)
                time.sleep(0.5)
        require(sock is not None, 'Cannot connect to port %d (mokucli stream did not listen)' % port)
        sock.settimeout(READ_TIMEOUT_S)
        lines = []
        buffer = b''
        deadline = time.monotonic() + deadline_s
        ended = False
        with sock:
            while not ended:
                require(time.monotonic() < deadline, 'no EOS within %.0f s (%d lines)' % (deadline_s, len(lines)))
                chunk = sock.recv(1 << 16)
                require(chunk, 'the bridge closed the connection without EOS after %d lines' % len(lines))
                buffer += chunk
                while b'\n' in buffer:
                    line, buffer = buffer.split(b'\n', 1)
                    line = line.rstrip(b'\r')
                    if line == b'EOS':
                        ended = True
                        break
                    lines.append(parse_json(line, 'stream line %d' % (len(lines) + 1)))
            require(not buffer, 'bytes after EOS: %r' % buffer[:80])
        bridge.wait(20)
        require(bridge.returncode == 0, 'mokucli stream exited with %s' % bridge.returncode)
        time.sleep(0.1)
        stderr = b''.join(e for e in errors if e)
        require(not stderr.strip(), 'mokucli stream wrote to standard error (an error for the vendor\'s '
                                    'client): %r' % stderr[:300])
        return lines
    finally:
        if bridge.poll() is None:
            bridge.terminate()
            bridge.wait(10)


def check_stream(lines, rate, duration, channels, volts):
    """Count = rate x duration, evenly spaced times, keys of the enabled inputs, plausible values."""
    time_values = []
    values = {ch: [] for ch in channels}
    for number, line in enumerate(lines, 1):
        require(isinstance(line, dict) and 'time' in line, 'line %d has no time array: %r' % (number, str(line)[:120]))
        keys = sorted(k for k in line if k.startswith('ch'))
        require(keys == ['ch%d' % c for c in channels], 'line %d has inputs %s, expected %s'
                % (number, keys, ['ch%d' % c for c in channels]))
        n = len(line['time'])
        for ch in channels:
            require(len(line['ch%d' % ch]) == n, 'line %d: ch%d has %d values, time %d'
                    % (number, ch, len(line['ch%d' % ch]), n))
            values[ch] += line['ch%d' % ch]
        time_values += line['time']
    expected = int(round(rate * duration))
    require(len(time_values) == expected, '%d samples in %d lines, expected %g Sa/s x %g s = %d'
            % (len(time_values), len(lines), rate, duration, expected))
    step = 1.0 / rate
    for i in range(1, len(time_values)):
        d = time_values[i] - time_values[i - 1]
        require(abs(d - step) <= 1e-6 * step + 1e-12 * abs(time_values[i]),
                'time stamps not evenly spaced at sample %d: %r -> %r (step %g)'
                % (i, time_values[i - 1], time_values[i], step))
    for ch in channels:
        v = values[ch]
        require(all(isinstance(x, (int, float)) and math.isfinite(x) for x in v), 'ch%d: non-finite value' % ch)
        require(all(abs(x) <= volts / 2 * 1.1 for x in v), 'ch%d: a value beyond the %g Vpp range: %r'
                % (ch, volts, max(v, key=abs)))
        require(max(v) - min(v) > 0, 'ch%d: all values equal (%r)' % (ch, v[0]))
    return time_values, values


def scenario_stream(ctx):
    version = mokucli_version(ctx.mokucli)
    moku = ctx.claim()
    try:
        rng = INPUT_RANGE[ctx.model]
        for ch in (1, 2):
            moku.datalogger('set_frontend', {'channel': ch, 'impedance': '1MOhm', 'coupling': 'DC', 'range': rng})
            moku.datalogger('enable_input', {'channel': ch, 'enable': True})
        moku.datalogger('generate_waveform', {'channel': 1, 'type': 'Sine', 'amplitude': 1, 'frequency': 50})
        rate, duration = 10000, 2
        data = moku.datalogger('start_streaming', {'duration': duration, 'sample_rate': rate})
        require(isinstance(data, dict) and isinstance(data.get('stream_id'), str) and data['stream_id'],
                'start_streaming: no stream_id in %r' % (data,))
        lines = read_bridge(ctx, data['stream_id'], duration + 60)
        channels = list(range(1, INPUTS[ctx.model] + 1)) if ctx.model in ('go', 'lab') else None
        if channels is None:             # Pro/Delta: whatever inputs are enabled; 1 and 2 at least
            channels = sorted(int(k[2:]) for k in lines[0] if re.fullmatch(r'ch\d+', k))
            require(1 in channels and 2 in channels, 'inputs 1 and 2 are enabled but the stream has %s' % channels)
        check_stream(lines, rate, duration, channels, RANGE_VOLTS[rng])
        moku.call('datalogger', 'stop_streaming', None)
        print('     mokucli %s: %d lines, %d samples of %s' % (version, len(lines), rate * duration, channels))

        # input 1 disabled: the lines carry time and ch2 only (get_stream_data's tip)
        moku.datalogger('enable_input', {'channel': 1, 'enable': False})
        data = moku.datalogger('start_streaming', {'duration': 1, 'sample_rate': 1000})
        lines = read_bridge(ctx, data['stream_id'], 60)
        expected = [2] if ctx.model in ('go', 'lab') else [c for c in channels if c != 1]
        check_stream(lines, 1000, 1, expected, RANGE_VOLTS[rng])
        moku.call('datalogger', 'stop_streaming', None)
        moku.datalogger('enable_input', {'channel': 1, 'enable': True})
    finally:
        moku.call('moku', 'relinquish_ownership', {})


SCENARIOS = [
    ('describe', scenario_describe),
    ('ownership', scenario_ownership),
    ('configure', scenario_configure),
    ('refusals', scenario_refusals),
    ('logging', scenario_logging),
    ('stream', scenario_stream),
]


# ---------------------------------------------------------------------------------------------
# Starting the simulator

class Simulator:
    def __init__(self, program, extra_args):
        probe = socket.socket()
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
        probe.close()
        self.args = [program, 'moku', '--port', str(port)] + list(extra_args)
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.printed, self.errors = [], []
        self.where = None
        self.announced = threading.Event()
        threading.Thread(target=self._drain, args=(self.process.stderr, self.errors, False), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stdout, self.printed, True), daemon=True).start()
        if not self.announced.wait(20.0) or self.where is None:
            self.stop()
            raise RuntimeError('%s did not announce where it listens within 20 s; stdout %r stderr %r'
                               % (' '.join(self.args), self.printed, self.errors))
        # the stand-in mokucli: the same program under the name mokucli, as a user installs it
        self.folder = tempfile.mkdtemp(prefix='moku_vendor_client_')
        self.mokucli = os.path.join(self.folder, 'mokucli')
        os.symlink(os.path.abspath(program), self.mokucli)

    def _drain(self, stream, lines, look):
        for line in stream:
            lines.append(line.rstrip())
            if look and self.where is None:
                match = re.search(r'listening: (127\.0\.0\.1:\d+)', line)
                if match:
                    self.where = match.group(1)
                    self.announced.set()
        self.announced.set()

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, 'folder', None):
            shutil.rmtree(self.folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument('--sim', metavar='BENCHSCOPE_SIM', help='start `BENCHSCOPE_SIM moku` and test it')
    target.add_argument('--address', metavar='HOST[:PORT]', help='a Moku (or simulator) already running')
    parser.add_argument('--mokucli', metavar='PATH', help='with --address: the mokucli to stream with')
    parser.add_argument('--sim-arg', action='append', default=[], metavar='ARG',
                        help='with --sim: pass ARG on to the simulator (repeatable)')
    parser.add_argument('--only', action='append', choices=[name for name, _ in SCENARIOS])
    parser.add_argument('--skip', action='append', default=[], choices=[name for name, _ in SCENARIOS])
    parser.add_argument('-v', '--verbose', action='store_true', help='print every request and reply')
    options = parser.parse_args()

    simulator = None
    if options.sim:
        try:
            simulator = Simulator(options.sim, options.sim_arg)
        except (OSError, RuntimeError) as error:
            print('vendor_client: cannot start the simulator: %s' % error, file=sys.stderr)
            return 2
        ctx = Context(simulator.where, simulator.mokucli, options.verbose)
        print('simulator: %s (%s)' % (' '.join(simulator.args), simulator.where))
    else:
        ctx = Context(options.address, options.mokucli or shutil.which('mokucli') or 'mokucli', options.verbose)

    failures = []
    try:
        for name, scenario in SCENARIOS:
            if name != 'describe' and ((options.only and name not in options.only) or name in options.skip):
                continue
            started = time.monotonic()
            try:
                scenario(ctx)
                print('ok   %-12s %.1f s' % (name, time.monotonic() - started))
            except (CheckFailed, MokuError, OSError, ValueError, KeyError, TypeError,
                    subprocess.SubprocessError, http.client.HTTPException) as error:
                failures.append(name)
                print('FAIL %-12s %s: %s' % (name, type(error).__name__, error))
                if simulator and not simulator.alive():
                    print('     the simulator exited with %s; stderr: %s'
                          % (simulator.process.returncode, '\n'.join(simulator.errors[-20:])))
                    break
                if name == 'describe':
                    break
    finally:
        if simulator:
            simulator.stop()
            if simulator.errors:
                print('simulator stderr:\n  ' + '\n  '.join(simulator.errors[-20:]))
    print('%d failed: %s' % (len(failures), ', '.join(failures)) if failures else 'all scenarios passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
