#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Lake Shore M81-SSM client written only from the vendor's manual and the public client
sequences (the vendor's `lakeshore` package and the QCoDeS contrib driver), standard library only.

It talks to an M81 the way those programs do -- connect ritual, LF-terminated lines, replies read
until they end in CR LF, `;:SYSTem:ERRor:ALL?` appended and the reply split on unquoted `;`,
`stream_data` with busy polling, `log_data_to_csv_file`, the QCoDeS `DATA:COUNt?` variant, module
settings written and read back, FETCh?/READ? -- and checks everything it gets. Any deviation ends
the run with a message and a non-zero exit code.

    vendor_client.py --sim BENCHSCOPE_SIM [--pty]   start `benchscope-sim m81` and test it
    vendor_client.py --address HOST[:PORT]          test an instrument already listening (TCP)
    vendor_client.py --serial DEVICE                test an instrument on a serial device

Exit codes: 0 all checks passed, 1 a check failed, 2 the simulator could not be started.
"""

import argparse
import base64
import math
import os
import re
import select
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
import tty

REPLY_TIMEOUT_S = 5.0        # the vendor's default timeout
ERROR_CHECK = ';:SYSTem:ERRor:ALL?'
MAX_RTIME_ERROR_S = 1e-6     # RTIMe steps must be 1/rate to within this
UNREAD_S = 3.0               # the overflow scenario leaves 15 000 rows of 80 bytes (1.2 MB) unread
BOUNDED_ROWS = 20000         # its bounded stream: 1.6 MB, more than the capture buffer the tests give


class CheckFailed(Exception):
    """A reply that a program written from the vendor's manual would not accept."""


class ScpiError(Exception):
    """The instrument's error queue was not empty (what the vendor's client raises)."""


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


# ---------------------------------------------------------------------------------------------
# Transports: the vendor's GenericInstrument over TCP and over a serial device.

class TcpLink:
    encoding = 'utf-8'

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=REPLY_TIMEOUT_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The connect ritual: a lone LF, 100 ms, then whatever arrived is discarded. An instrument
        # never answers an empty line, so nothing may arrive at all.
        self.sock.sendall(b'\n')
        time.sleep(0.1)
        stray = b''
        while select.select([self.sock], [], [], 0.0)[0]:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CheckFailed('the instrument closed the connection after the connect ritual')
            stray += chunk
        require(not stray, 'the instrument answered the empty line of the connect ritual: %r' % stray[:80])

    def send(self, data):
        self.sock.sendall(data)

    def receive(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return None
        if not chunk:
            raise CheckFailed('the instrument closed the connection')
        return chunk

    def pending(self):
        return bool(select.select([self.sock], [], [], 0.0)[0])

    def close(self):
        self.sock.close()


class SerialLink:
    encoding = 'ascii'

    def __init__(self, device):
        self.fd = os.open(device, os.O_RDWR | os.O_NOCTTY)
        # 921 600 Bd, 8N1, RTS/CTS, no XON/XOFF, raw: the vendor's serial settings for the M81.
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[2] &= ~(termios.PARENB | termios.CSTOPB | termios.CSIZE)
        attrs[2] |= termios.CS8 | termios.CREAD | termios.CLOCAL | termios.CRTSCTS
        attrs[0] &= ~(termios.IXON | termios.IXOFF | termios.IXANY)
        attrs[4] = attrs[5] = termios.B921600
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        os.write(self.fd, b'\n')
        time.sleep(0.1)
        stray = b''
        while select.select([self.fd], [], [], 0.0)[0]:
            stray += os.read(self.fd, 4096)
        require(not stray, 'the instrument answered the empty line of the connect ritual: %r' % stray[:80])
        termios.tcflush(self.fd, termios.TCIFLUSH)   # reset_input_buffer()

    def send(self, data):
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def receive(self):
        if not select.select([self.fd], [], [], REPLY_TIMEOUT_S)[0]:
            return None
        chunk = os.read(self.fd, 65536)
        if not chunk:
            raise CheckFailed('the serial device reported end of file')
        return chunk

    def pending(self):
        return bool(select.select([self.fd], [], [], 0.0)[0])

    def close(self):
        os.close(self.fd)


# ---------------------------------------------------------------------------------------------
# The XIP instrument conventions: LF out, CR LF in, the error check.

def split_unquoted(text, separator):
    """Split on `separator` outside single or double quotes."""
    items, current, quote = [], [], None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
        elif ch == separator:
            items.append(''.join(current))
            current = []
            continue
        current.append(ch)
    items.append(''.join(current))
    return items


class M81:
    def __init__(self, link, verbose=False):
        self.link = link
        self.verbose = verbose
        self.queries = 0
        idn = self.query('*IDN?', check_errors=False).split(',')
        require(len(idn) >= 4, '*IDN? has %d fields, the vendor client needs at least 4: %r' % (len(idn), idn))
        require(idn[0] == 'LSCI', '*IDN? does not begin with LSCI: %r' % idn)
        self.model, self.serial, self.firmware = idn[1], idn[2].split('/')[0], idn[3]
        self.command('SYSTem:ERRor:CLEar', check_errors=False)

    def close(self):
        self.link.close()

    def _send(self, line):
        if self.verbose:
            print('>> ' + line, file=sys.stderr)
        self.link.send(line.encode(self.link.encoding) + b'\n')

    def _read_reply(self, sent):
        data = b''
        while not data.endswith(b'\r\n'):
            chunk = self.link.receive()
            if chunk is None:
                raise CheckFailed('no reply ending in CR LF within %.0f s to %r (got %r)'
                                  % (REPLY_TIMEOUT_S, sent, data[:120]))
            data += chunk
            # Everything after the first CR LF would be a second, unsolicited line: every later
            # reply of the vendor's client would be out of step.
            end = data.find(b'\r\n')
            require(end < 0 or end == len(data) - 2,
                    'more than one line in reply to %r: %r' % (sent, data[:200]))
        text = data.decode(self.link.encoding)
        if self.verbose:
            print('<< ' + (text[:200] + '...' if len(text) > 200 else text).rstrip(), file=sys.stderr)
        require('\r' not in text[:-2] and '\n' not in text[:-2], 'bare CR or LF inside a reply to %r' % sent)
        return text.rstrip()

    def command(self, *commands, check_errors=True):
        line = ';:'.join(commands)
        if check_errors:
            self.query(line)
        else:
            self._send(line)

    def query(self, *queries, check_errors=True):
        line = ';:'.join(queries)
        if check_errors:
            line += ERROR_CHECK
        self._send(line)
        self.queries += 1
        reply = self._read_reply(line)
        if not check_errors:
            return reply
        items = split_unquoted(reply, ';')
        errors = items.pop()
        if 'No error' not in errors:
            raise ScpiError('SCPI command error(s): ' + errors)
        return ';'.join(items)

    def assert_idle_line(self):
        """Nothing unsolicited may be waiting on the line."""
        time.sleep(0.05)
        require(not self.link.pending(), 'unsolicited data on the line after the last reply')


# ---------------------------------------------------------------------------------------------
# What the vendor's SSMSystem does with a stream, and checks on what comes back.

DATA_SOURCE_TYPES = {
    'RTIME': float, 'RTIM': float, 'SAMPLITUDE': float, 'SAMP': float, 'SOFFSET': float, 'SOFF': float,
    'SFREQUENCY': float, 'SFR': float, 'SRANGE': float, 'SRAN': float,
    'SVLIMIT': 'bool', 'SVL': 'bool', 'SILIMIT': 'bool', 'SIL': 'bool', 'SRSETTLING': 'bool', 'SRS': 'bool',
    'MDC': float, 'MRMS': float, 'MPPEAK': float, 'MPP': float, 'MNPEAK': float, 'MNP': float,
    'MPTPEAK': float, 'MPTP': float, 'MX': float, 'MY': float, 'MR': float, 'MTHETA': float, 'MTH': float,
    'MRANGE': float, 'MRAN': float, 'MOVERLOAD': 'bool', 'MOV': 'bool', 'MSETTLING': 'bool', 'MSET': 'bool',
    'MUNLOCK': 'bool', 'MUNL': 'bool', 'MRFREQUENCY': float, 'MRFR': float,
    'GPISTATES': int, 'GPIS': int, 'GPOSTATES': int, 'GPOS': int,
}


def parse_value(mnemonic, text):
    kind = DATA_SOURCE_TYPES[mnemonic.upper()]
    try:
        if kind == 'bool':
            value = int(text)
            require(value in (0, 1), '%s must read 0 or 1, got %r' % (mnemonic, text))
            return bool(value)
        return kind(text)
    except ValueError:
        raise CheckFailed('%s: %r is not a %s' % (mnemonic, text, 'flag' if kind == 'bool' else kind.__name__))


def elements_text(sources):
    return ','.join('%s,%d' % pair for pair in sources)


def stream_data(m81, rate, num_points, sources, stop_after=None):
    """The vendor's stream_data: returns (rows, format, bytes per row, polls). With num_points None
    the stream is unbounded and the caller's `stop_after` rows end the reading (like breaking out of
    the generator: nothing is sent to the instrument)."""
    m81.command('TRACe:RESEt')
    m81.command('TRACe:FORMat:ELEMents ' + elements_text(sources))
    m81.command('TRACe:FORMat:ENCOding B64')
    m81.command('TRACe:RATE %d' % rate)
    bytes_per_row = int(m81.query('TRACe:FORMat:ENCOding:B64:BCOunt?'))
    raw_format = m81.query('TRACe:FORMat:ENCOding:B64:BFORmat?')
    binary_format = '<' + raw_format.strip('"')
    check_format(binary_format, bytes_per_row, sources, raw_format)
    m81.command('TRACe:STARt %d' % num_points if num_points is not None else 'TRACe:STARt')
    rows, polls, empty_polls = [], 0, 0
    wanted = num_points if num_points is not None else stop_after
    deadline = time.monotonic() + 20.0 + 2.0 * wanted / rate
    while len(rows) < wanted:
        reply = ''
        while not reply:                       # no pause on empty replies, as the vendor's loop
            reply = m81.query('TRACe:DATA:ALL?', check_errors=False)
            polls += 1
            if not reply:
                empty_polls += 1
                require(time.monotonic() < deadline,
                        'stream stalled: %d of %d rows after %d polls' % (len(rows), wanted, polls))
        try:
            new_bytes = base64.b64decode(reply, validate=True)
        except ValueError as error:
            raise CheckFailed('TRACe:DATA:ALL? reply is no base64 (%s): %r' % (error, reply[:80]))
        require(len(new_bytes) % bytes_per_row == 0,
                'TRACe:DATA:ALL? returned %d bytes, not whole rows of %d (the vendor client raises)'
                % (len(new_bytes), bytes_per_row))
        for offset in range(0, len(new_bytes), bytes_per_row):
            rows.append(struct.unpack(binary_format, new_bytes[offset:offset + bytes_per_row]))
    if num_points is not None:
        require(len(rows) == num_points, 'TRACe:STARt %d delivered %d rows' % (num_points, len(rows)))
    return rows, binary_format, polls, empty_polls


def check_format(binary_format, bytes_per_row, sources, raw_format):
    require(struct.calcsize(binary_format) == bytes_per_row,
            'BFORmat? %r packs %d bytes but BCOunt? says %d' % (raw_format, struct.calcsize(binary_format), bytes_per_row))
    codes = binary_format[1:]
    require(len(codes) == len(sources), 'BFORmat? %r has %d codes for %d elements' % (raw_format, len(codes), len(sources)))
    # Sizes the M81 manual's data-streaming table states.
    manual = {'RTIME': 'd', 'RTIM': 'd', 'SAMPLITUDE': 'd', 'SAMP': 'd', 'SOFFSET': 'd', 'SOFF': 'd',
              'SFREQUENCY': 'd', 'SFR': 'd', 'SRANGE': 'f', 'SRAN': 'f', 'SVLIMIT': '?', 'SVL': '?'}
    for code, (mnemonic, _) in zip(codes, sources):
        expected = manual.get(mnemonic.upper())
        require(expected is None or code == expected,
                'BFORmat? %r: %s is %r, the manual says %r' % (raw_format, mnemonic, code, expected))


def check_rows(rows, rate, sources, label):
    names = [m.upper() for m, _ in sources]
    require(names[0] in ('RTIME', 'RTIM'), 'internal: RTIMe must be the first element')
    times = [row[0] for row in rows]
    require(abs(times[0]) <= MAX_RTIME_ERROR_S, '%s: first RTIMe is %r, not 0' % (label, times[0]))
    period = 1.0 / rate
    for i in range(1, len(times)):
        step = times[i] - times[i - 1]
        require(abs(step - period) <= MAX_RTIME_ERROR_S + 1e-12 * times[i],
                '%s: RTIMe step %d is %.9g s, not 1/rate = %.9g s (row %d of %d)'
                % (label, i, step, period, i, len(times)))
    for i, row in enumerate(rows):
        values = dict(zip(names, row))
        for name, value in values.items():
            if isinstance(value, float):
                require(math.isfinite(value) and abs(value) < 1e6, '%s: row %d %s = %r is implausible' % (label, i, name, value))
        if 'MR' in values:
            require(values['MR'] >= 0.0, '%s: row %d MR = %r < 0' % (label, i, values['MR']))
            if 'MX' in values and 'MY' in values:
                r = math.hypot(values['MX'], values['MY'])
                require(abs(values['MR'] - r) <= 1e-3 * r + 1e-9,
                        '%s: row %d MR = %r but hypot(MX, MY) = %r' % (label, i, values['MR'], r))
        for name in ('MTHETA', 'MTH'):
            if name in values:
                require(-180.0 - 1e-9 <= values[name] <= 180.0 + 1e-9, '%s: row %d MTHeta = %r° out of ±180°'
                        % (label, i, values[name]))


# ---------------------------------------------------------------------------------------------
# Scenarios. Each gets a fresh connection, as separate scripts run one after the other do.

def scenario_identity(m81):
    require(m81.firmware.count('.') >= 1, 'firmware field %r is no version' % m81.firmware)
    require(m81.query('SOURce:NCHannels?') == '3', 'SOURce:NCHannels? is not 3')
    require(m81.query('SENSe:NCHannels?') == '3', 'SENSe:NCHannels? is not 3')
    # Several queries on one line, one reply joined by ';' (the vendor's query(*queries)).
    both = m81.query('SOURce:NCHannels?', 'SENSe:NCHannels?')
    require(both == '3;3', 'two queries on one line answered %r, not "3;3"' % both)
    # Short and long forms, any case.
    require(m81.query('sour:nch?') == '3', 'short lower-case form sour:nch? not understood')


def scenario_modules(m81):
    for kind in ('SOURce', 'SENSe'):
        for n in (1, 2, 3):
            try:
                name = m81.query('%s%d:NAME?' % (kind, n))
            except ScpiError as error:
                require('-241,"Hardware missing;' in str(error), '%s%d:NAME?: %s' % (kind, n, error))
                continue
            require(name.startswith('"') and name.endswith('"') and len(name) >= 2,
                    '%s%d:NAME? is not a quoted string: %r' % (kind, n, name))
            model = m81.query('%s%d:MODel?' % (kind, n)).strip('"')
            require(model, '%s%d:MODel? is empty' % (kind, n))
    old = m81.query('SENSe2:NAME?').strip('"')
    m81.command('SENSe2:NAME "vendor; client"')
    got = m81.query('SENSe2:NAME?')
    require(got == '"vendor; client"', 'SENSe2:NAME? after setting "vendor; client" reads %r' % got)
    m81.command('SENSe2:NAME "%s"' % old)


def close_enough(a, b):
    return abs(a - b) <= 1e-9 + 1e-9 * abs(b)


def scenario_measure_settings(m81):
    n = 1
    # setup_dc_measurement(nplc=1): MODE DC, NPLCycles 1.0
    m81.command('SENSe%d:MODE DC' % n)
    m81.command('SENSe%d:NPLCycles %s' % (n, float(1)))
    require(m81.query('SENSe%d:MODE?' % n) == 'DC', 'SENSe1:MODE? after DC')
    require(close_enough(float(m81.query('SENSe%d:NPLCycles?' % n)), 1.0), 'SENSe1:NPLCycles? after 1.0')
    # configure_voltage_range(False, 1.0), then autorange on.
    m81.command('SENSe%d:VOLTage:RANGe %s' % (n, str(1.0)))
    rng = float(m81.query('SENSe%d:VOLTage:RANGe?' % n))
    require(rng >= 1.0, 'SENSe1:VOLTage:RANGe? reads %r after asking for 1.0 V' % rng)
    require(int(m81.query('SENSe%d:VOLTage:RANGe:AUTO?' % n)) == 0, 'a manual range leaves autorange on')
    m81.command('SENSe%d:VOLTage:RANGe:AUTO 1' % n)
    require(bool(int(m81.query('SENSe%d:VOLTage:RANGe:AUTO?' % n))), 'SENSe1:VOLTage:RANGe:AUTO? after 1')
    # setup_lock_in_measurement('S1', 0.1, 'R24', 0.0, 1, True)
    m81.command('SENSe%d:MODE LIA' % n)
    m81.command('SENSe%d:LIA:RSOurce S1' % n)
    m81.command('SENSe%d:LIA:TIMEconstant %s' % (n, str(0.1)))
    m81.command('SENSe%d:LIA:ROLLoff R24' % n)
    m81.command('SENSe%d:LIA:DPHase %s' % (n, str(0.0)))
    m81.command('SENSe%d:LIA:DHARmonic %s' % (n, str(1)))
    m81.command('SENSe%d:LIA:FIR:STATe %s' % (n, str(int(True))))
    require(m81.query('SENSe%d:MODE?' % n) == 'LIA', 'SENSe1:MODE? after LIA')
    require(m81.query('SENSe%d:LIA:RSOurce?' % n) == 'S1', 'SENSe1:LIA:RSOurce? after S1')
    require(close_enough(float(m81.query('SENSe%d:LIA:TIMEconstant?' % n)), 0.1), 'LIA:TIMEconstant? after 0.1')
    require(m81.query('SENSe%d:LIA:ROLLoff?' % n) == 'R24', 'LIA:ROLLoff? after R24')
    require(close_enough(float(m81.query('SENSe%d:LIA:DPHase?' % n)), 0.0), 'LIA:DPHase? after 0.0')
    require(int(m81.query('SENSe%d:LIA:DHARmonic?' % n)) == 1, 'LIA:DHARmonic? after 1')
    require(bool(int(m81.query('SENSe%d:LIA:FIR:STATe?' % n))), 'LIA:FIR:STATe? after 1')
    dc = float(m81.query('READ:SENSe%d:DC?' % n))
    require(math.isfinite(dc), 'READ:SENSe1:DC? is not finite')


def scenario_source_settings(m81):
    n = 1
    # go_to_voltage_mode, set_frequency, set_shape('SINusoid'), set_voltage_amplitude/offset, enable
    m81.command('SOURce%d:FUNCtion:MODE VOLTage' % n)
    m81.command('SOURce%d:FREQuency %s' % (n, str(13.7)))
    m81.command('SOURce%d:FUNCtion:SHAPe SINusoid' % n)
    m81.command('SOURce%d:VOLTage:LEVel:AMPLitude %s' % (n, str(0.5)))
    m81.command('SOURce%d:VOLTage:LEVel:OFFSet %s' % (n, str(0.0)))
    m81.command('SOURce%d:STATe %s' % (n, str(int(True))))
    mode = m81.query('SOURce%d:FUNCtion:MODE?' % n)
    require(mode in ('CURRENT', 'VOLTAGE'), 'SOURce1:FUNCtion:MODE? is %r: the vendor parses it into '
            'ExcitationType, which only knows CURRENT and VOLTAGE' % mode)
    require(mode == 'VOLTAGE', 'SOURce1:FUNCtion:MODE? after VOLTage reads %r' % mode)
    require(close_enough(float(m81.query('SOURce%d:FREQuency?' % n)), 13.7), 'SOURce1:FREQuency? after 13.7')
    shape = m81.query('SOURce%d:FUNCtion:SHAPe?' % n)
    require(shape == 'SINUSOID', 'SOURce1:FUNCtion:SHAPe? after SINusoid reads %r, not SINUSOID' % shape)
    require(close_enough(float(m81.query('SOURce%d:VOLTage:LEVel:AMPLitude?' % n)), 0.5), 'AMPLitude? after 0.5')
    require(close_enough(float(m81.query('SOURce%d:VOLTage:LEVel:OFFSet?' % n)), 0.0), 'OFFSet? after 0.0')
    require(bool(int(m81.query('SOURce%d:STATe?' % n))), 'SOURce1:STATe? after 1')


def scenario_fetch_read(m81):
    sources = [('MX', 1), ('MY', 1), ('MR', 1), ('MTHeta', 1), ('MOVerload', 1), ('RTIMe', 1),
               ('SAMPlitude', 1), ('SVLimit', 1), ('GPIStates', 1)]
    values = m81.query('FETCh? ' + elements_text(sources)).split(',')
    require(len(values) == len(sources), 'FETCh? with %d sources gave %d values' % (len(sources), len(values)))
    got = {m.upper(): parse_value(m, v) for (m, _), v in zip(sources, values)}
    require(got['MR'] >= 0 and abs(got['MR'] - math.hypot(got['MX'], got['MY'])) <= 0.05 * got['MR'] + 1e-9,
            'FETCh? MR = %r is not hypot(MX, MY) = %r' % (got['MR'], math.hypot(got['MX'], got['MY'])))
    require(-180.0 <= got['MTHETA'] <= 180.0, 'FETCh? MTHeta = %r out of ±180°' % got['MTHETA'])
    require(got['GPISTATES'] >= 0, 'FETCh? GPIStates negative')
    read_sources = [('MDC', 1), ('MRMs', 1), ('MPPeak', 1), ('MNPeak', 1), ('MPTPeak', 1), ('MRANge', 1)]
    values = m81.query('READ? ' + elements_text(read_sources)).split(',')
    require(len(values) == len(read_sources), 'READ? with 6 sources gave %d values' % len(values))
    got = {m.upper(): parse_value(m, v) for (m, _), v in zip(read_sources, values)}
    require(all(math.isfinite(v) for v in got.values()), 'READ? values not finite: %r' % got)
    require(got['MRMS'] >= 0 and got['MPTPEAK'] >= 0 and got['MRANGE'] > 0, 'READ? values implausible: %r' % got)
    require(got['MPPEAK'] >= got['MNPEAK'], 'READ? +peak %r below -peak %r' % (got['MPPEAK'], got['MNPEAK']))
    # READ? accepts only the six measurement sources; MX is refused.
    try:
        m81.query('READ? MX,1')
        raise CheckFailed('READ? MX,1 was accepted')
    except ScpiError:
        pass


def scenario_errors(m81):
    try:
        m81.query('FAKEQUERY?')
        raise CheckFailed('an undefined query was answered without an error')
    except ScpiError as error:
        require('-113' in str(error), 'undefined header did not give -113: %s' % error)
    require(m81.query('SOURce:NCHannels?') == '3', 'the error queue was not emptied by SYSTem:ERRor:ALL?')
    try:
        m81.command('TRACe:RATE 6000')
        raise CheckFailed('TRACe:RATE 6000 was accepted (maximum 5000)')
    except ScpiError as error:
        require('-222' in str(error), 'TRACe:RATE 6000 did not give -222: %s' % error)
    elements = ','.join(['MX,1'] * 11)
    try:
        m81.command('TRACe:FORMat:ELEMents ' + elements)
        raise CheckFailed('11 stream elements were accepted (up to 10)')
    except ScpiError:
        pass
    errors = m81.query('SYSTem:ERRor:ALL?', check_errors=False)
    require('No error' in errors, 'error queue not empty after the checks: %r' % errors)


def scenario_stream(m81):
    # The sources the tests use: module 1 set up as in the settings scenarios.
    m81.command('SOURce1:FUNCtion:SHAPe SINusoid')
    m81.command('SOURce1:VOLTage:LEVel:AMPLitude %s' % str(0.25))
    m81.command('SENSe1:MODE LIA')
    sources = [('RTIMe', 1), ('MX', 1), ('MY', 1), ('MR', 1)]
    rows, _, polls, empty = stream_data(m81, 1000, 2000, sources)
    check_rows(rows, 1000, sources, 'stream_data(1000, 2000, RTIMe MX MY MR)')
    overflow = m81.query('TRACe:DATA:OVERflow?')
    require(overflow == '0', 'TRACe:DATA:OVERflow? after a stream read at once is %r' % overflow)
    time.sleep(0.05)
    extra = m81.query('TRACe:DATA:ALL?', check_errors=False)
    require(extra == '', 'rows beyond the 2000 asked for: %r' % extra[:60])
    # Ten elements of every size at the maximum rate.
    sources = [('RTIMe', 1), ('MX', 1), ('MY', 1), ('MR', 1), ('MTHeta', 1), ('MOVerload', 1),
               ('MRANge', 1), ('SAMPlitude', 1), ('SVLimit', 1), ('GPIStates', 1)]
    rows, fmt, polls, empty = stream_data(m81, 5000, 5000, sources)
    check_rows(rows, 5000, sources, 'stream_data(5000, 5000, 10 elements)')
    for i, row in enumerate(rows):
        require(close_enough(row[7], 0.25), 'row %d SAMPlitude = %r, the source is set to 0.25' % (i, row[7]))
        require(isinstance(row[5], bool) and isinstance(row[8], bool), 'row %d flags are no bools' % i)
    require(m81.query('TRACe:DATA:OVERflow?') == '0', 'overflow in the 10-element stream')
    print('    %d polls, %d empty, format %s' % (polls, empty, fmt))


def scenario_unbounded_then_reset(m81):
    sources = [('RTIMe', 1), ('MDC', 1)]
    rows, _, _, _ = stream_data(m81, 2000, None, sources, stop_after=500)
    check_rows(rows[:500], 2000, sources, 'unbounded stream')
    running = int(m81.query('STATus:OPERation:CONDition?', check_errors=False))
    require(running & (1 << 6), 'operation bit 6 (data stream in progress) clear during a stream: %d' % running)
    # Like a script breaking out of the generator: nothing is sent, the next stream_data resets.
    time.sleep(0.3)
    rows, _, _, _ = stream_data(m81, 1000, 300, sources)
    check_rows(rows, 1000, sources, 'stream after an abandoned unbounded one')
    require(m81.query('TRACe:DATA:OVERflow?') == '0',
            'TRACe:RESEt did not clear the overflow of the abandoned stream (or the new one overflowed)')
    time.sleep(0.05)
    state = int(m81.query('STATus:OPERation:CONDition?', check_errors=False))
    require(not state & (1 << 6), 'operation bit 6 still set after a bounded stream ended: %d' % state)


def scenario_overflow(m81):
    """A bounded stream read too late: the instrument drops rows and raises the flag, yet delivers
    the count asked for (spec §13 default), so the vendor loop ends and then raises Data loss."""
    sources = [('RTIMe', 1), ('MX', 1), ('MY', 1), ('MR', 1), ('MTHeta', 1), ('MDC', 1), ('MRMs', 1),
               ('MPPeak', 1), ('MNPeak', 1), ('SAMPlitude', 1)]
    m81.command('TRACe:RESEt')
    m81.command('TRACe:FORMat:ELEMents ' + elements_text(sources))
    m81.command('TRACe:FORMat:ENCOding B64')
    m81.command('TRACe:RATE 5000')
    m81.command('TRACe:STARt')
    time.sleep(UNREAD_S)
    require(m81.query('TRACe:DATA:OVERflow?') == '1', 'no overflow after %g s unread at 5000 rows/s' % UNREAD_S)
    questionable = int(m81.query('STATus:QUEStionable:CONDition?', check_errors=False))
    require(questionable & (1 << 10), 'questionable bit 10 (data stream overflow) clear: %d' % questionable)
    rows, _, _, _ = stream_data(m81, 5000, 3000, sources[:2])
    check_rows(rows, 5000, sources[:2], 'stream after an overflow')
    require(m81.query('TRACe:DATA:OVERflow?') == '0', 'TRACe:RESEt did not clear the overflow flag')
    # A bounded stream that overflows: every row asked for still arrives, then the flag says so.
    m81.command('TRACe:RESEt')
    m81.command('TRACe:FORMat:ELEMents ' + elements_text(sources))
    m81.command('TRACe:FORMat:ENCOding B64')
    m81.command('TRACe:RATE 5000')
    bytes_per_row = int(m81.query('TRACe:FORMat:ENCOding:B64:BCOunt?'))
    fmt = '<' + m81.query('TRACe:FORMat:ENCOding:B64:BFORmat?').strip('"')
    m81.command('TRACe:STARt %d' % BOUNDED_ROWS)
    time.sleep(UNREAD_S)
    got = 0
    deadline = time.monotonic() + 30.0
    while got < BOUNDED_ROWS:
        reply = m81.query('TRACe:DATA:ALL?', check_errors=False)
        data = base64.b64decode(reply)
        require(len(data) % bytes_per_row == 0, 'partial row after an overflow')
        got += len(list(struct.iter_unpack(fmt, data)))
        require(time.monotonic() < deadline, 'a bounded stream that overflowed delivered only %d of %d rows' % (got, BOUNDED_ROWS))
    require(got == BOUNDED_ROWS, 'a bounded stream that overflowed delivered %d rows, not %d' % (got, BOUNDED_ROWS))
    require(m81.query('TRACe:DATA:OVERflow?') == '1', 'the lost rows of the bounded stream are not flagged')


def scenario_log_to_csv(m81):
    sources = [('RTIMe', 1), ('MX', 2), ('MOVerload', 2)]
    lines = []
    # log_data_to_csv_file: ELEMents and HEADer? first, then stream_data writing str() of values.
    m81.command('TRACe:FORMat:ELEMents ' + elements_text(sources))
    header = m81.query('TRACe:FORMat:HEADer?').strip('"')
    require(header and '"' not in header, 'TRACe:FORMat:HEADer? %r is no plain quoted text' % header)
    lines.append(header)
    rows, _, _, _ = stream_data(m81, 500, 250, sources)
    lines.extend(','.join(str(x) for x in row) for row in rows)
    require(len(lines) == 251, 'CSV has %d lines, not header + 250' % len(lines))
    for line in lines[1:]:
        fields = line.split(',')
        require(len(fields) == 3 and fields[2] in ('True', 'False'), 'CSV row %r' % line)
    check_rows(rows, 500, sources, 'log_data_to_csv_file')


def scenario_qcodes(m81):
    """QCoDeS M81_SSM.stream_data: plain writes, ELEMents before RESEt, DATA:COUNt? once a second."""
    sources = [('RTIMe', 1), ('MX', 1)]
    num_points, rate = 400, 1000
    m81.command('TRACe:FORMat:ELEMents ' + elements_text(sources), check_errors=False)
    m81.command('TRACe:RESEt', check_errors=False)
    m81.command('TRACe:FORMat:ENCOding B64', check_errors=False)
    m81.command('TRACe:RATE %d' % rate, check_errors=False)
    m81.command('TRACe:STARt %d' % num_points, check_errors=False)
    count, deadline = 0, time.monotonic() + 20.0
    while count < num_points:
        time.sleep(1)
        count = int(m81.query('TRACe:DATA:COUNt?', check_errors=False))
        require(time.monotonic() < deadline, 'TRACe:DATA:COUNt? stuck at %d of %d' % (count, num_points))
    require(count == num_points, 'TRACe:DATA:COUNt? is %d after STARt %d' % (count, num_points))
    time.sleep(1)
    data = base64.b64decode(m81.query('TRACe:DATA:ALL?', check_errors=False))
    fmt = '<' + m81.query('TRACe:FORMat:ENCOding:B64:BFORmat?', check_errors=False).strip('"')
    try:
        rows = list(struct.iter_unpack(fmt, data))
    except struct.error as error:
        raise CheckFailed('QCoDeS unpack of %d bytes with %r failed: %s' % (len(data), fmt, error))
    require(len(rows) == num_points, 'QCoDeS variant got %d rows, not %d' % (len(rows), num_points))
    check_rows(rows, rate, sources, 'QCoDeS stream_data')
    errors = m81.query('SYSTem:ERRor:ALL?', check_errors=False)
    require('No error' in errors, 'the QCoDeS sequence left errors: %r' % errors)


SCENARIOS = [
    ('identity', scenario_identity),
    ('modules', scenario_modules),
    ('measure-settings', scenario_measure_settings),
    ('source-settings', scenario_source_settings),
    ('fetch-read', scenario_fetch_read),
    ('errors', scenario_errors),
    ('stream', scenario_stream),
    ('unbounded-then-reset', scenario_unbounded_then_reset),
    ('log-to-csv', scenario_log_to_csv),
    ('qcodes', scenario_qcodes),
    ('overflow', scenario_overflow),
]


# ---------------------------------------------------------------------------------------------
# Starting the simulator.

class Simulator:
    def __init__(self, program, use_pty, extra_args):
        args = [program, 'm81'] + list(extra_args)
        if use_pty:
            args.append('--pty')
        else:
            probe = socket.socket()
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
            probe.close()
            args += ['--port', str(self.port)]
        self.args = args
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.printed = []
        self.errors = []
        self.announced = threading.Event()
        self.where = None
        pattern = re.compile(r'(/dev/\S+)' if use_pty else r'127\.0\.0\.1:(\d+)')
        threading.Thread(target=self._drain, args=(self.process.stderr, self.errors, None), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stdout, self.printed, pattern), daemon=True).start()
        if not self.announced.wait(20.0) or self.where is None:
            self.stop()
            raise RuntimeError('%s did not announce where it listens within 20 s; stdout %r stderr %r'
                               % (' '.join(args), self.printed, self.errors))

    def _drain(self, stream, lines, pattern):
        for line in stream:
            lines.append(line.rstrip())
            if pattern is not None and self.where is None:
                match = pattern.search(line)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument('--sim', metavar='BENCHSCOPE_SIM', help='start `BENCHSCOPE_SIM m81` and test it')
    target.add_argument('--address', metavar='HOST[:PORT]', help='an instrument listening on TCP (port 7777)')
    target.add_argument('--serial', metavar='DEVICE', help='an instrument on a serial device')
    parser.add_argument('--pty', action='store_true', help='with --sim: the simulator\'s pty instead of TCP')
    parser.add_argument('--sim-arg', action='append', default=[], metavar='ARG',
                        help='with --sim: pass ARG on to the simulator (repeatable), e.g. --sim-arg=--partial-rows')
    parser.add_argument('--only', action='append', choices=[name for name, _ in SCENARIOS], help='run only these')
    parser.add_argument('--skip', action='append', default=[], choices=[name for name, _ in SCENARIOS])
    parser.add_argument('-v', '--verbose', action='store_true', help='print every line sent and received')
    options = parser.parse_args()

    simulator = None
    if options.sim:
        try:
            simulator = Simulator(options.sim, options.pty, options.sim_arg)
        except (OSError, RuntimeError) as error:
            print('vendor_client: cannot start the simulator: %s' % error, file=sys.stderr)
            return 2
        if options.pty:
            open_link = lambda: SerialLink(simulator.where)
        else:
            open_link = lambda: TcpLink('127.0.0.1', int(simulator.where))
        print('simulator: %s (%s)' % (' '.join(simulator.args), simulator.where))
    elif options.address:
        host, _, port = options.address.rpartition(':') if ':' in options.address else (options.address, '', '7777')
        open_link = lambda: TcpLink(host, int(port))
    else:
        open_link = lambda: SerialLink(options.serial)

    failures = []
    try:
        for name, scenario in SCENARIOS:
            if (options.only and name not in options.only) or name in options.skip:
                continue
            started = time.monotonic()
            link = None
            try:
                link = open_link()
                m81 = M81(link, options.verbose)
                scenario(m81)
                m81.assert_idle_line()
                print('ok   %-22s %.1f s, %d queries' % (name, time.monotonic() - started, m81.queries))
            except (CheckFailed, ScpiError, OSError, ValueError, struct.error, termios.error) as error:
                failures.append(name)
                print('FAIL %-22s %s: %s' % (name, type(error).__name__, error))
                if simulator and not simulator.alive():
                    print('     the simulator exited with %s; stderr: %s'
                          % (simulator.process.returncode, '\n'.join(simulator.errors[-20:])))
                    break
            finally:
                if link is not None:
                    link.close()
    finally:
        if simulator:
            simulator.stop()
    if failures:
        print('vendor_client: %d scenario(s) failed: %s' % (len(failures), ', '.join(failures)), file=sys.stderr)
        return 1
    print('vendor_client: all scenarios passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
