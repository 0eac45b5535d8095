// The request bodies the driver sends, mirroring the definitions of
// Firecracker's API specification (firecracker/swagger.yaml, v1.16.1) that it
// uses. Firecracker rejects unknown fields, so only the spec's names appear here.

/** definitions.BootSource */
export interface BootSource {
  kernel_image_path: string;
  initrd_path?: string;
  boot_args?: string;
}

/** definitions.MachineConfiguration (the fields the tool sets). */
export interface MachineConfiguration {
  vcpu_count: number;
  mem_size_mib: number;
  smt?: boolean;
  track_dirty_pages?: boolean;
}

/** definitions.Drive, as a virtio-block device backed by a host file. */
export interface Drive {
  drive_id: string;
  is_root_device: boolean;
  is_read_only?: boolean;
  path_on_host?: string;
  cache_type?: "Unsafe" | "Writeback";
  io_engine?: "Sync" | "Async";
}

/** definitions.NetworkInterface: a virtio-net device backed by a tap device of the host. */
export interface NetworkInterface {
  iface_id: string;
  /** The tap's name on the host. */
  host_dev_name: string;
  /** "xx:xx:xx:xx:xx:xx"; Firecracker makes one up when absent. */
  guest_mac?: string;
}

/** definitions.Logger */
export interface Logger {
  log_path?: string;
  level?: "Error" | "Warning" | "Info" | "Debug" | "Trace" | "Off";
  show_level?: boolean;
  show_log_origin?: boolean;
  module?: string;
}

/** definitions.Metrics */
export interface Metrics {
  metrics_path: string;
}

/** definitions.InstanceActionInfo */
export interface InstanceActionInfo {
  action_type: "FlushMetrics" | "InstanceStart" | "SendCtrlAltDel";
}

/** definitions.Error: the body of every answer other than 2xx. */
export interface ApiError {
  fault_message?: string;
}
