// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// PandABox / PandABlocks protocol, pure encode/parse without I/O (notes: docs/protocols/panda.md).
//   PandaProtocolControl.h  control port 8888: requests, replies, *IDN?
//   PandaProtocolOptions.h  data port 8889: option line (DataOptions, DataFormat, Process)
//   PandaProtocolPorts.h    default ports: control 8888, data = control + 1
//   PandaProtocolHeader.h   capture header: FieldInfo, DataHeader, XML/text parsing
//   PandaProtocolDecoder.h  samples -> processed column-major doubles (SCALED/RAW)
//   PandaProtocolEnd.h      END reasons
//   PandaProtocolData.h     DataStreamParser: byte stream -> Ready/Start/Frame/End events

#include "PandaProtocolControl.h"
#include "PandaProtocolData.h"
#include "PandaProtocolDecoder.h"
#include "PandaProtocolEnd.h"
#include "PandaProtocolHeader.h"
#include "PandaProtocolOptions.h"
#include "PandaProtocolPorts.h"
