//! What the kernel says about a process and about TCP: CPU seconds, resident memory, and the
//! memory of all TCP sockets.

use anyhow::Context as _;

/// Clock ticks per second, as `getconf CLK_TCK` reports them (read once).
fn ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// CPU seconds a process has used, to the nanosecond: the sum over its threads of
/// `/proc/PID/task/TID/schedstat` (clock ticks, 10 ms, are too coarse for idle CPU).
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let mut ns: u64 = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let path = task?.path().join("schedstat");
        if let Ok(s) = std::fs::read_to_string(path) {
            ns += s
                .split_whitespace()
                .next()
                .unwrap_or("0")
                .parse::<u64>()
                .unwrap_or(0);
        }
    }
    Ok(ns as f64 / 1e9)
}

/// The kernel thread that runs deferred network work on `cpu` (its time is the servers' too,
/// when only servers run on that core).
pub fn ksoftirqd(cpu: u32) -> Option<u32> {
    let name = format!("ksoftirqd/{cpu}");
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let comm = std::fs::read_to_string(e.path().join("comm")).ok()?;
        (comm.trim() == name).then_some(pid)
    })
}

/// User and system (kernel) CPU seconds a process has used.
pub fn cpu_split(pid: u32) -> anyhow::Result<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')').context("no ')' in stat")? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let utime: f64 = fields.get(11).context("utime")?.parse()?;
    let stime: f64 = fields.get(12).context("stime")?.parse()?;
    Ok((utime / ticks_per_second(), stime / ticks_per_second()))
}

/// Resident memory of a process, in bytes.
pub fn rss_bytes(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS")?;
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .context("VmRSS value")?
        .parse()?;
    Ok(kb * 1024)
}

/// Kernel memory of TCP socket objects (the `TCP` and `sock_inode_cache` slabs), in bytes, plus
/// their buffers (`/proc/net/sockstat`). Needs /proc/slabinfo to be readable (root); else only
/// the buffers.
pub fn tcp_kernel_bytes() -> anyhow::Result<u64> {
    let slabs = std::fs::read_to_string("/proc/slabinfo").unwrap_or_default();
    let mut total = 0;
    for line in slabs.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() > 3 && (f[0] == "TCP" || f[0] == "sock_inode_cache") {
            let active: u64 = f[1].parse().unwrap_or(0);
            let size: u64 = f[3].parse().unwrap_or(0);
            total += active * size;
        }
    }
    Ok(total + tcp_socket_bytes()?)
}

/// Memory the kernel holds for all TCP sockets' buffers, in bytes (`/proc/net/sockstat`).
pub fn tcp_socket_bytes() -> anyhow::Result<u64> {
    let sockstat = std::fs::read_to_string("/proc/net/sockstat")?;
    let line = sockstat
        .lines()
        .find(|l| l.starts_with("TCP:"))
        .context("no TCP line")?;
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        if w == "mem" {
            let pages: u64 = words.next().context("mem value")?.parse()?;
            return Ok(pages * 4096);
        }
    }
    anyhow::bail!("no mem in {line}")
}
