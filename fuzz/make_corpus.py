#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpora fuzz/corpus/<target>/ from the test fixtures (tests/data/panda) and
the byte strings of the protocol tests. Each seed is the input layout its target reads (see the
comment at the top of fuzz_<target>.cpp). Run from anywhere; rewrites the seed files it names and
leaves any other file in the corpus folders alone."""
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
PANDA = ROOT / "tests" / "data" / "panda"
SEED_MAX = 4096  # bytes: seeds stay small, the fuzzer grows them


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data[:SEED_MAX])


# --- PandA control port: chunk byte + replies --------------------------------------------------
control = {
    "idn": b"OK =PandA SW: 1.1 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA 1.1\n",
    "mixed": b"OK\nOK =PandA SW: 1.1 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA 1.1\n"
             b"ERR No such field\n!TTLIN 6\n!PCAP 1\n!COUNTER 8\n.\n.\nOK =\nOK =\xc2\xb5m = x\n",
    "fields": b"!COUNTER1.OUT\n!COUNTER2.OUT\n!PCAP.BITS0\n!PCAP.TS_TRIG\n!INENC1.VAL\n.\n"
              b"!No\n!Value\n!Diff\n!Sum\n!Mean\n!Min\n!Max\n!StdDev\n.\n"
              b"!ENABLE 0 bit_mux\n!TRIG 1 bit_mux\n!GATE 2 bit_mux\n!TS_TRIG 3 ext_out timestamp\n"
              b"!SAMPLES 4 ext_out samples\n!BITS0 5 ext_out bits\n.\n"
              b"OK =COUNTER1.OUT=Min Max Mean; PCAP.TS_TRIG=Value\n",
    "old_names": b"!PCAP.CAPTURE\n!PCAP.TS_CAPTURE\n!PCAP.SAMPLES\n.\n!No\n!Value\n.\n"
                 b"!CAPTURE 1 bit_mux\n!TS_CAPTURE 2 ext_out timestamp\n.\nOK =PCAP.TS_TRIG=Value\n",
    "broken_list": b"!x\nOK\n.\nERR\nOK =1",
}
for name, data in control.items():
    write("panda_control", name, bytes([7]) + data)

# --- PandA data port: option line + chunk byte [+ assumed header line] + stream ------------------
write("panda_data", "slow_dump", b"XML FRAMED SCALED\n" + bytes([44]) + (PANDA / "slow_dump.bin").read_bytes())
write("panda_data", "fast_dump", b"XML FRAMED SCALED\n" + bytes([5]) + (PANDA / "fast_dump.bin").read_bytes())
raw = (PANDA / "raw_dump.bin").read_bytes()
# Header and the first BIN block, cut short (a truncated capture is a case of its own).
write("panda_data", "raw_dump_head", b"XML FRAMED RAW\n" + bytes([9]) + raw[:3000])
nodur = (PANDA / "raw_dump_no_duration.bin").read_bytes()
write("panda_data", "raw_dump_no_duration_head", b"XML FRAMED RAW\n" + bytes([0]) + nodur[:3000])

RAW_FIELDS = (b'<fields>\n'
              b'<field name="PCAP.GATE_DURATION" type="int32" capture="Value" scale="8e-09" offset="0" units="s" />\n'
              b'<field name="PCAP.BITS0" type="uint32" capture="Value" />\n'
              b'<field capture="Value" units="mm" offset="10" scale="0.5" type="int32" name="COUNTER1.OUT" />\n'
              b'<field name="PCAP.TS_START" type="int64" capture="Value" scale="8e-09" offset="0" units="s" />\n'
              b'<field name="COUNTER2.OUT" type="int64" capture="Mean" scale="2" offset="1" '
              b'units="&lt;&amp;&gt;&quot;&apos;" />\n'
              b'</fields>\n')


def raw_header(fmt, extra=b""):
    return (b'<header>\n<data arm_time="2026-01-22T01:43:02.190522630Z" '
            b'start_time="2026-01-22T01:43:02.290522630Z" hw_time_offset_ns="-42" missed="3" '
            b'process="Raw" format="' + fmt + b'" ' + extra + b'/>\n' + RAW_FIELDS + b'</header>\n\n')


def raw_rows(n):
    out = b""
    for i in range(n):
        gate = 0 if i % 5 == 3 else 100 + i
        out += struct.pack("<iIiqq", gate, 0x80000000 | i, -3 * i, (1 << 33) + i * 12345,
                           -(1 << 40) - i * 1000003)
    return out


rows = raw_rows(6)
write("panda_data", "framed_raw", b"XML FRAMED RAW\n" + bytes([3]) + b"OK\n" + raw_header(b"Framed")
      + b"BIN " + struct.pack("<I", 8 + len(rows)) + rows + b"END 6 Disarmed\n")
write("panda_data", "unframed_raw", b"XML UNFRAMED RAW\n" + bytes([1]) + b"OK\n" + raw_header(b"Unframed")
      + rows + b"END 6 Framing error\n")
ascii_rows = b"".join(b"".join(b" 0x%08x" % w for w in struct.unpack("<7I", rows[i * 28:(i + 1) * 28])) + b"\n"
                      for i in range(3))
write("panda_data", "ascii_raw", b"XML ASCII RAW\n" + bytes([7]) + b"OK\n" + raw_header(b"ASCII") + ascii_rows
      + b"END 3 Ok\n")
import base64
write("panda_data", "base64_raw", b"XML BASE64 RAW\n" + bytes([11]) + b"OK\n"
      + raw_header(b"Base64", b'sample_bytes="28" ') + b" " + base64.b64encode(rows) + b"\nEND 6 Ok\n")
write("panda_data", "text_ascii_scaled", b"ASCII\n" + bytes([2]) + b"OK\nmissed: 0\nprocess: Scaled\nformat: ASCII\n"
      b"fields:\n PCAP.BITS0 uint32 Value\n COUNTER1.OUT double Value scale: 0.5 offset: 10 units: mm\n"
      b" COUNTER2.OUT double Mean scale: 1 offset: 0 units: \n"
      b" PCAP.TS_START double Value scale: 8e-09 offset: 0 units: s\n\n"
      b" 257 9036.611193 nan 4445962241\n 1 -1.5 -nan 1e-300\nEND 2 Ok\n")
write("panda_data", "text_framed_raw", b"FRAMED RAW\n" + bytes([9]) + b"OK\narm_time: 2026-01-22T01:43:02.190522630Z\n"
      b"missed: 0\nprocess: Raw\nformat: Framed\nsample_bytes: 28\nfields:\n"
      b" PCAP.GATE_DURATION int32 Value scale: 8e-09 offset: 0 units: s\n PCAP.BITS0 uint32 Value\n"
      b" COUNTER1.OUT int32 Value scale: 0.5 offset: 10 units: mm\n"
      b" PCAP.TS_START int64 Value scale: 8e-09 offset: 0 units: s\n"
      b" COUNTER2.OUT int64 Mean scale: 2 offset: 1 units: (null)\n\n"
      + b"BIN " + struct.pack("<I", 8 + len(rows)) + rows + b"END 6 Disarmed\n")
bare_header = raw_header(b"Framed").replace(b"\n", b"").rstrip()
write("panda_data", "bare", b"BARE\n" + bytes([5]) + bare_header + b"\n" + rows)
write("panda_data", "no_status", b"XML FRAMED RAW NO_STATUS\n" + bytes([5]) + raw_header(b"Framed")
      + b"BIN " + struct.pack("<I", 8 + len(rows)) + rows + raw_header(b"Framed"))
write("panda_data", "refused", b"XML FRAMED RAW\n" + bytes([4]) + b"ERR Invalid data capture option\n")

# --- NV200 frames: chunk byte + bytes from the device --------------------------------------------
XON, XOFF = b"\x11", b"\x13"
write("nv200_frames", "session", bytes([3]) + b"NV200/D_NET>" + XON + XOFF + b"set,80.000\r\n" + XON
      + XOFF + XON + XOFF + b"cl,0\r\0\n" + XON + XOFF + b"error,4\r\n" + XON)
write("nv200_frames", "stray", bytes([1]) + b"\x01" + XOFF + b"\x00meas,\x0112.5\r" + XON
      + XOFF + b"desc,TRITOR100SG \r\n" + XON + XOFF + b"x,1\r\n\r\n" + XON + XOFF + b"a,1\nerror,2\r\n" + XON)
write("nv200_frames", "numbers", bytes([0]) + XOFF + b"meas,1.25e+01\r\n" + XON + XOFF + b"stat,8204\r\n" + XON
      + XOFF + b"meas,nan\r\n" + XON + XOFF + b"meas,inf\r\n" + XON + XOFF + b"acdescr,TRITOR100SG,2208\r\n" + XON
      + XOFF + b"error,x\r\n" + XON + XOFF + b"error,42\r\n" + XON + XOFF + b"set,500\nerror,4\r\n" + XON)

# --- NV200 recorder: channel, index, duration, device bytes --------------------------------------
def rec_seed(channel, index, duration_ms, body):
    return bytes([channel]) + struct.pack("<Hd", index, duration_ms) + body


values = b",".join(b"%.3f" % (i * 0.125 - 3) for i in range(200))
write("nv200_recorder", "recoutf", rec_seed(0, 0, 100.0, XOFF + b"recoutf,0," + values + b",\r\n" + XON))
write("nv200_recorder", "recout", rec_seed(1, 64, 5000.0, XOFF + b"recout,1,64,1.5,2.5,-3.75\r\n" + XON))
write("nv200_recorder", "errors", rec_seed(0, 0, 0.05, XOFF + b"error,2\r\n" + XON + XOFF + b"recoutf,1,1.0\r\n"
      + XON + XOFF + b"recoutf,0,1.0,nan\r\n" + XON + XOFF + b"recoutf,0,1.0,\x13\x11"))

# --- PicoScope helpers: code, family, resolution, range, offset, threshold, interval, timebase, text
def pico_seed(code, family, res, rng, offset, threshold, interval, timebase, text):
    return struct.pack("<IBBBdddI", code, family, res, rng, offset, threshold, interval, timebase) + text


write("pico_protocol", "ok_5444D", pico_seed(0, 0, 1, 9, 0.0, 0.5, 1e-6, 3, b"5444D"))
write("pico_protocol", "timebase_2406B", pico_seed(0x0E, 1, 1, 7, -0.25, -1.0, 8e-9, 2, b"2406B"))
write("pico_protocol", "power", pico_seed(0x11A, 0, 5, 14, 20.0, 3.0, 0.002, 1000000, b"\xc2\xb12 V"))
write("pico_protocol", "names", pico_seed(0x01000000, 0, 4, 2, 0.1, 0.0, 12.5e-9, 0, b"16 bit"))

# --- Sessions --------------------------------------------------------------------------------------
write("session", "all_drivers", b"""{"format":"benchscope-session","version":1,
 "instruments":[
  {"id":"panda1","type":"panda","name":"PandA","address":"127.0.0.1:8888",
   "parameters":{"data_port":8889,"process":"Raw","clock_period":1e-5,"rows":58}},
  {"id":"nv1","type":"nv200","name":"Piezo","address":"[::1]:2323",
   "parameters":{"closed_loop":true,"setpoint":12.5,"recorder_duration":100,"run_mode":"live"}},
  {"id":"pico1","type":"picoscope","name":"Scope","address":"",
   "parameters":{"mode":"streaming","sample_interval":1e-6,"repeat":false,"trigger_level":0.5}}],
 "views":[{"type":"scope","span_s":5}],
 "recording":{"format":"csv","directory":"/tmp","base_name":"run","queue_mib":64}}
""")
write("session", "minimal", b'{"format":"benchscope-session","version":1,"instruments":[]}')
write("session", "refused", b'{"format":"benchscope-session","version":1,"instruments":['
      b'{"id":"pandabox","type":"panda","parameters":{"clock_period":-1}}]}')
write("session", "serial", b'{"format":"benchscope-session","version":1,"instruments":['
      b'{"id":"nv","type":"nv200","address":"/dev/ttyUSB0"},{"id":"nv","type":"nv200","address":"COM3"}],'
      b'"recording":{"format":"hdf5","queue_mib":16.5}}')
