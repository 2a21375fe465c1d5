# -*- coding: utf-8 -*-
'''python-dbusmock template: BlueZ 5 with GATT, notifications and faults, for WearableIngest's tests.

Re-exports the stock bluez5 template (python3-dbusmock 0.28.7) and works around its bugs (test-peers.md §3-4):
real property types on Device1, Connected that stays true, ServicesResolved, reconnect after a disconnect,
Powered=false that refuses connects and drops links, RemoveDevice with its children, and a discovery that needs
no earlier SetDiscoveryFilter. Adds GATT services and characteristics (ReadValue, WriteValue, StartNotify,
StopNotify, AcquireNotify), notifications, Device1.Disconnected with a reason, and injected org.bluez errors.

GATT objects exist only while a device is connected and get new object paths on every connect, as the backend
must not assume they are stable. Mock methods therefore name characteristics by (device path, UUID).
Run: /usr/bin/python3 -m dbusmock --template /path/to/wearable_bluez.py (python3-dbusmock is a Debian package).
'''

import os
import socket

import dbus

from dbusmock import OBJECT_MANAGER_IFACE, mockobject
from dbusmock.templates.bluez5 import *  # noqa: F401,F403  BUS_NAME, MAIN_OBJ, load, AddAdapter, AddDevice, ...
from dbusmock.templates.bluez5 import ADAPTER_IFACE, BLUEZ_MOCK_IFACE, DEVICE_IFACE

SERVICE_IFACE = 'org.bluez.GattService1'
CHAR_IFACE = 'org.bluez.GattCharacteristic1'
PROPS_IFACE = 'org.freedesktop.DBus.Properties'
ACQUIRE_MTU = 247

# device path -> list of [service uuid, [(char uuid, flags, acquire, initial value)]]; survives reconnects
GATT_TABLES = {}
# (device path, char uuid) -> list of written byte strings (with the write type)
WRITES = {}
# method name -> [error name, remaining count]
INJECTED = {}
# char object path -> the mock's end of the AcquireNotify socket pair
ACQUIRED = {}
NEXT_HANDLE = [0x0010]


def _maybe_fail(method):
    entry = INJECTED.get(method)
    if entry and entry[1] > 0:
        entry[1] -= 1
        raise dbus.exceptions.DBusException(f'injected {entry[0]} for {method}', name=entry[0])


def _manager():
    return mockobject.objects['/']


def _emit_changed(obj, iface, changes):
    for name, value in changes.items():
        obj.props[iface][name] = value
    obj.EmitSignal(PROPS_IFACE, 'PropertiesChanged', 'sa{sv}as', [iface, changes, dbus.Array([], signature='s')])


def _add_object(path, iface, props, methods):
    _manager().AddObject(path, iface, props, methods)
    _manager().EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesAdded', 'oa{sa{sv}}',
                          [dbus.ObjectPath(path), {iface: props}])
    return mockobject.objects[path]


def _remove_tree(root):
    '''Removes root and everything under it, deepest first, with one InterfacesRemoved per object (as bluetoothd).'''
    paths = sorted([p for p in mockobject.objects if p == root or p.startswith(root + '/')], key=len, reverse=True)
    for path in paths:
        _close_acquired(path)
        ifaces = [i for i in mockobject.objects[path].props.keys() if i.startswith('org.bluez.')]
        _manager().RemoveObject(path)
        _manager().EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesRemoved', 'oas',
                              [dbus.ObjectPath(path), dbus.Array(ifaces, signature='s')])


def _close_acquired(char_path):
    sock = ACQUIRED.pop(char_path, None)
    if sock is not None:
        sock.close()


def _device(path):
    obj = mockobject.objects.get(str(path))
    if obj is None or DEVICE_IFACE not in obj.props:
        raise dbus.exceptions.DBusException(f'no device {path}', name=BLUEZ_MOCK_IFACE + '.NoSuchDevice')
    return obj


def _adapter_of(device):
    return mockobject.objects[str(device.props[DEVICE_IFACE]['Adapter'])]


def _find_char(device_path, uuid):
    for path, obj in mockobject.objects.items():
        if path.startswith(str(device_path) + '/') and CHAR_IFACE in obj.props \
                and str(obj.props[CHAR_IFACE]['UUID']).lower() == str(uuid).lower():
            return obj
    raise dbus.exceptions.DBusException(f'no characteristic {uuid} under {device_path} (is it connected?)',
                                        name=BLUEZ_MOCK_IFACE + '.NoSuchCharacteristic')


# ---- Adapter1 -------------------------------------------------------------------------------------------------

def StartDiscovery(adapter):
    _maybe_fail('StartDiscovery')
    if not adapter.props[ADAPTER_IFACE]['Powered']:
        raise dbus.exceptions.DBusException('Resource Not Ready', name='org.bluez.Error.NotReady')
    _emit_changed(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(True, variant_level=1)})


def StopDiscovery(adapter):
    _maybe_fail('StopDiscovery')
    _emit_changed(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(False, variant_level=1)})


def SetDiscoveryFilter(adapter, discovery_filter):
    _maybe_fail('SetDiscoveryFilter')
    adapter.discovery_filter = discovery_filter


def AdapterRemoveDevice(_adapter, path):
    _remove_tree(str(path))


def AdapterSet(obj, iface, name, value):
    '''Properties.Set on an adapter: Powered=false drops every link first, then turns Powered off, as bluetoothd does.'''
    if iface == ADAPTER_IFACE and name == 'Powered' and not value:
        _power_off(obj)
    else:
        mockobject.DBusMockObject.Set(obj, iface, name, value)


def _power_off(adapter):
    for path, obj in list(mockobject.objects.items()):
        if path.startswith(adapter.path + '/') and DEVICE_IFACE in obj.props and obj.props[DEVICE_IFACE]['Connected']:
            _drop_link(obj, 'org.bluez.Reason.Local')
    _emit_changed(adapter, ADAPTER_IFACE, {'Powered': dbus.Boolean(False, variant_level=1),
                                           'Discovering': dbus.Boolean(False, variant_level=1)})


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='ss', out_signature='s')
def AddAdapter(self, device_name, system_name):
    '''The stock adapter with working discovery and a Powered that matters.'''
    path = '/org/bluez/' + device_name
    adapter_properties = {
        'Address': dbus.String('00:1A:7D:DA:71:0' + device_name[-1], variant_level=1),
        'AddressType': dbus.String('public', variant_level=1),
        'Name': dbus.String(system_name, variant_level=1),
        'Alias': dbus.String(system_name, variant_level=1),
        'Powered': dbus.Boolean(True, variant_level=1),
        'Discovering': dbus.Boolean(False, variant_level=1),
        'Discoverable': dbus.Boolean(False, variant_level=1),
        'Pairable': dbus.Boolean(True, variant_level=1),
        'UUIDs': dbus.Array([], signature='s', variant_level=1),
    }
    adapter = _add_object(path, ADAPTER_IFACE, adapter_properties, [
        ('RemoveDevice', 'o', '', AdapterRemoveDevice),
        ('StartDiscovery', '', '', StartDiscovery),
        ('StopDiscovery', '', '', StopDiscovery),
        ('SetDiscoveryFilter', 'a{sv}', '', SetDiscoveryFilter),
    ])
    adapter.AddMethods(PROPS_IFACE, [('Set', 'ssv', '', AdapterSet)])
    return path


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='s', out_signature='')
def RemoveAdapter(_self, adapter_path):
    '''Removes the adapter and every object under it (accepts "hci0" or the object path).'''
    path = adapter_path if adapter_path.startswith('/') else '/org/bluez/' + adapter_path
    _remove_tree(path)


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='s', out_signature='')
def PowerOffAdapter(_self, adapter_path):
    _power_off(mockobject.objects[adapter_path])


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='s', out_signature='')
def PowerOnAdapter(_self, adapter_path):
    _emit_changed(mockobject.objects[adapter_path], ADAPTER_IFACE, {'Powered': dbus.Boolean(True, variant_level=1)})


# ---- Device1 --------------------------------------------------------------------------------------------------

def Connect(device):
    _maybe_fail('Connect')
    if not _adapter_of(device).props[ADAPTER_IFACE]['Powered']:
        raise dbus.exceptions.DBusException('Resource Not Ready', name='org.bluez.Error.NotReady')
    if device.props[DEVICE_IFACE]['Connected']:
        raise dbus.exceptions.DBusException('Already Connected', name='org.bluez.Error.AlreadyConnected')
    _bring_link_up(device)


def _bring_link_up(device):
    _emit_changed(device, DEVICE_IFACE, {'Connected': dbus.Boolean(True, variant_level=1)})
    for service_uuid, chars in GATT_TABLES.get(device.path, []):
        service_path = f'{device.path}/service{NEXT_HANDLE[0]:04x}'
        NEXT_HANDLE[0] += 1
        _add_object(service_path, SERVICE_IFACE, {
            'UUID': dbus.String(service_uuid, variant_level=1),
            'Primary': dbus.Boolean(True, variant_level=1),
            'Device': dbus.ObjectPath(device.path, variant_level=1),
            'Includes': dbus.Array([], signature='o', variant_level=1),
        }, [])
        for char_uuid, flags, acquire, value in chars:
            _add_characteristic(device, service_path, char_uuid, flags, acquire, value)
    _emit_changed(device, DEVICE_IFACE, {'ServicesResolved': dbus.Boolean(True, variant_level=1)})


def Disconnect(device):
    _maybe_fail('Disconnect')
    if not device.props[DEVICE_IFACE]['Connected']:
        raise dbus.exceptions.DBusException('Not Connected', name='org.bluez.Error.NotConnected')
    _drop_link(device, 'org.bluez.Reason.Local')


def _drop_link(device, reason):
    for path in [p for p in mockobject.objects if p.startswith(device.path + '/')]:
        _close_acquired(path)
    device.EmitSignal(DEVICE_IFACE, 'Disconnected', 'ss', [reason, 'link dropped by the mock'])
    _emit_changed(device, DEVICE_IFACE, {'ServicesResolved': dbus.Boolean(False, variant_level=1),
                                         'Connected': dbus.Boolean(False, variant_level=1)})
    for child in [p for p in mockobject.objects if p.startswith(device.path + '/') and p.count('/') == device.path.count('/') + 1]:
        _remove_tree(child)


def Pair(device):
    _maybe_fail('Pair')
    if device.props[DEVICE_IFACE]['Paired']:
        raise dbus.exceptions.DBusException('Already Exists', name='org.bluez.Error.AlreadyExists')
    _emit_changed(device, DEVICE_IFACE, {'Paired': dbus.Boolean(True, variant_level=1)})


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='sssn', out_signature='s')
def AddTracker(_self, adapter_path, address, name, rssi):
    '''A peripheral with the real Device1 property types. The object path comes from the address (as bluetoothd does),
    with anything but hex digits mapped to "_" so a malformed address still makes a valid path.'''
    tail = ''.join(c.upper() if c in '0123456789abcdefABCDEF' else '_' for c in address)
    path = f'{adapter_path}/dev_{tail}'
    _add_object(path, DEVICE_IFACE, {
        'Address': dbus.String(address, variant_level=1),
        'AddressType': dbus.String('public', variant_level=1),
        'Name': dbus.String(name, variant_level=1),
        'Alias': dbus.String(name, variant_level=1),
        'Adapter': dbus.ObjectPath(adapter_path, variant_level=1),
        'RSSI': dbus.Int16(rssi, variant_level=1),
        'UUIDs': dbus.Array([], signature='s', variant_level=1),
        'ManufacturerData': dbus.Dictionary({}, signature='qv', variant_level=1),
        'ServiceData': dbus.Dictionary({}, signature='sv', variant_level=1),
        'Paired': dbus.Boolean(False, variant_level=1),
        'Trusted': dbus.Boolean(False, variant_level=1),
        'Blocked': dbus.Boolean(False, variant_level=1),
        'Connected': dbus.Boolean(False, variant_level=1),
        'ServicesResolved': dbus.Boolean(False, variant_level=1),
    }, [
        ('Connect', '', '', Connect),
        ('Disconnect', '', '', Disconnect),
        ('Pair', '', '', Pair),
        ('CancelPairing', '', '', ''),
    ])
    GATT_TABLES[path] = []
    return path


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='onsa{qay}as', out_signature='')
def SetAdvertisement(_self, device_path, rssi, name, manufacturer, uuids):
    '''One advertisement: RSSI, local name, manufacturer data (a{qv} of ay, as BlueZ) and service UUIDs.'''
    device = _device(device_path)
    _emit_changed(device, DEVICE_IFACE, {
        'RSSI': dbus.Int16(rssi, variant_level=1),
        'Name': dbus.String(name, variant_level=1),
        'ManufacturerData': dbus.Dictionary(
            {dbus.UInt16(k): dbus.Array(v, signature='y', variant_level=1) for k, v in manufacturer.items()},
            signature='qv', variant_level=1),
        'UUIDs': dbus.Array(uuids, signature='s', variant_level=1),
    })


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='ossv', out_signature='')
def SetRawProperty(_self, path, iface, name, value):
    '''Any value of any type on any object, with PropertiesChanged: for malformed-input tests.'''
    obj = mockobject.objects[str(path)]
    obj.props.setdefault(iface, {})
    _emit_changed(obj, iface, {name: value})


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='osa{sv}', out_signature='')
def AddRawObject(_self, path, iface, props):
    '''An object with arbitrary properties and InterfacesAdded: for malformed-input tests.'''
    _add_object(str(path), iface, props, [])


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='o', out_signature='')
def ConnectDevice(_self, device_path):
    '''The peripheral connects by itself (no Device1.Connect): Connected, GATT objects, ServicesResolved.'''
    device = _device(device_path)
    if not device.props[DEVICE_IFACE]['Connected']:
        _bring_link_up(device)


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='os', out_signature='')
def DisconnectDevice(_self, device_path, reason):
    '''The link drops with a reason (org.bluez.Reason.Timeout / Remote / Local / ...): Device1.Disconnected,
    acquired sockets closed, ServicesResolved and Connected false, GATT objects removed.'''
    device = _device(device_path)
    if device.props[DEVICE_IFACE]['Connected']:
        _drop_link(device, reason)


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='o', out_signature='')
def RemoveDevice(_self, device_path):
    '''The device and its children vanish, one InterfacesRemoved per object.'''
    _remove_tree(str(device_path))


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='ssi', out_signature='')
def InjectError(_self, method, error_name, count):
    '''The next count calls of method (e.g. "Connect", "StartDiscovery", "WriteValue") raise error_name.'''
    INJECTED[method] = [error_name, count]


# ---- GATT -----------------------------------------------------------------------------------------------------

@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='os', out_signature='')
def AddGattService(_self, device_path, uuid):
    '''Adds a primary service to the device's GATT table (objects appear on the next connect).'''
    _device(device_path)
    GATT_TABLES.setdefault(str(device_path), []).append([str(uuid), []])


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='osasbay', out_signature='')
def AddGattCharacteristic(_self, device_path, uuid, flags, acquire, value):
    '''Adds a characteristic to the device's last added service; acquire offers AcquireNotify (NotifyAcquired).'''
    table = GATT_TABLES.get(str(device_path))
    if not table:
        raise dbus.exceptions.DBusException('add a service first', name=BLUEZ_MOCK_IFACE + '.NoService')
    table[-1][1].append((str(uuid), [str(f) for f in flags], bool(acquire), bytes(value)))


def _add_characteristic(device, service_path, uuid, flags, acquire, value):
    path = f'{service_path}/char{NEXT_HANDLE[0]:04x}'
    NEXT_HANDLE[0] += 1
    props = {
        'UUID': dbus.String(uuid, variant_level=1),
        'Service': dbus.ObjectPath(service_path, variant_level=1),
        'Value': dbus.Array(value, signature='y', variant_level=1),
        'Notifying': dbus.Boolean(False, variant_level=1),
        'Flags': dbus.Array(flags, signature='s', variant_level=1),
    }
    if acquire:
        props['NotifyAcquired'] = dbus.Boolean(False, variant_level=1)
    _add_object(path, CHAR_IFACE, props, [
        ('ReadValue', 'a{sv}', 'ay', ReadValue),
        ('WriteValue', 'aya{sv}', '', WriteValue),
        ('StartNotify', '', '', StartNotify),
        ('StopNotify', '', '', StopNotify),
        ('AcquireNotify', 'a{sv}', 'hq', AcquireNotify),
    ])
    mockobject.objects[path].device_path = device.path


def ReadValue(char, _options):
    _maybe_fail('ReadValue')
    return dbus.Array(char.props[CHAR_IFACE]['Value'], signature='y')


def WriteValue(char, value, options):
    _maybe_fail('WriteValue')
    kind = str(options.get('type', 'request'))
    key = (char.device_path, str(char.props[CHAR_IFACE]['UUID']).lower())
    WRITES.setdefault(key, []).append((kind, bytes(value)))
    char.props[CHAR_IFACE]['Value'] = dbus.Array(value, signature='y', variant_level=1)


def _require_notify(char):
    flags = [str(f) for f in char.props[CHAR_IFACE]['Flags']]
    if 'notify' not in flags and 'indicate' not in flags:
        raise dbus.exceptions.DBusException('Operation is not supported', name='org.bluez.Error.NotSupported')


def StartNotify(char):
    _maybe_fail('StartNotify')
    _require_notify(char)
    _emit_changed(char, CHAR_IFACE, {'Notifying': dbus.Boolean(True, variant_level=1)})


def StopNotify(char):
    _maybe_fail('StopNotify')
    _emit_changed(char, CHAR_IFACE, {'Notifying': dbus.Boolean(False, variant_level=1)})


def AcquireNotify(char, _options):
    _maybe_fail('AcquireNotify')
    _require_notify(char)
    if 'NotifyAcquired' not in char.props[CHAR_IFACE]:
        raise dbus.exceptions.DBusException('Operation is not supported', name='org.bluez.Error.NotSupported')
    if char.path in ACQUIRED:
        raise dbus.exceptions.DBusException('Notify acquired', name='org.bluez.Error.NotPermitted')
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ACQUIRED[char.path] = ours
    handle = dbus.types.UnixFd(theirs.fileno())  # dbus-python duplicates the descriptor
    theirs.close()
    _emit_changed(char, CHAR_IFACE, {'NotifyAcquired': dbus.Boolean(True, variant_level=1)})
    return (handle, dbus.UInt16(ACQUIRE_MTU))


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='osay', out_signature='s')
def EmitNotification(_self, device_path, char_uuid, value):
    '''One notification: through the acquired socket when AcquireNotify is active, else as PropertiesChanged(Value).
    Returns which way it went ("acquired" or "signal").'''
    char = _find_char(device_path, char_uuid)
    sock = ACQUIRED.get(char.path)
    if sock is not None:
        try:
            sock.send(bytes(value))
            return 'acquired'
        except OSError:
            _close_acquired(char.path)
    _emit_changed(char, CHAR_IFACE, {'Value': dbus.Array(value, signature='y', variant_level=1)})
    return 'signal'


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='os', out_signature='a(say)')
def GetWrites(_self, device_path, char_uuid):
    '''Every WriteValue to the characteristic (across reconnects), oldest first, as (type, bytes).'''
    return dbus.Array([dbus.Struct((kind, dbus.ByteArray(data)), signature='say')
                       for kind, data in WRITES.get((str(device_path), str(char_uuid).lower()), [])],
                      signature='(say)')


@dbus.service.method(BLUEZ_MOCK_IFACE, in_signature='o', out_signature='a{sv}')
def GetCharacteristicState(_self, device_path):
    '''Notifying / NotifyAcquired per characteristic UUID under the device, for assertions.'''
    state = {}
    for path, obj in mockobject.objects.items():
        if path.startswith(str(device_path) + '/') and CHAR_IFACE in obj.props:
            props = obj.props[CHAR_IFACE]
            state[str(props['UUID'])] = dbus.String(
                f"notifying={bool(props['Notifying'])} acquired={path in ACQUIRED}", variant_level=1)
    return dbus.Dictionary(state, signature='sv')
