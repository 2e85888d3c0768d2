using System.Text;

namespace PrImageReport.Core.Images;

/// <summary>
/// Stacks layers the way overlayfs and Docker's layer extraction do: a layer's whiteouts act on the layers
/// below it, then its entries are placed on top; a non-directory replaces whatever was at its path, subtree included.
/// Bytes that a layer hides this way still ship in the layer below: they are counted as wasted.
/// </summary>
internal sealed class LayeredFilesystem
{
    /// <summary>How many of the largest wasted files are kept; the rest only count in the totals.</summary>
    public const int LargestWastedFiles = 20;

    private readonly Node _root = Node.Directory(0);
    private readonly Dictionary<string, DatabaseFile> _packageDatabases = new(StringComparer.Ordinal);

    /// <summary>The largest wasted files so far, the smallest of them on top so it can make room.</summary>
    private readonly PriorityQueue<WastedFile, WastedFile> _largestWasted = new(Comparer<WastedFile>.Create(CompareRank));

    private int _layer = -1;
    private long _shippedBytes;
    private long _wastedBytes;

    /// <summary>What the filesystem built so far holds of package database files.</summary>
    public IReadOnlyDictionary<string, DatabaseFile> PackageDatabases => _packageDatabases;

    /// <param name="reference">The manifest's name for the layer, which may be a link to where the archive stores it.</param>
    public LayerChanges Apply(string reference, LayerContents layer)
    {
        _layer++;
        long added = 0, overwritten = 0, deleted = 0, repeated = 0;
        var changed = false;
        foreach (var entry in layer.Entries)
        {
            if (entry.Kind == LayerEntryKind.Whiteout)
            {
                changed |= Find(entry.Path) is not null;
                deleted += Remove(entry.Path);
            }
            else if (entry.Kind == LayerEntryKind.OpaqueDirectory && Find(entry.Path) is { Children: { } children })
            {
                changed |= children.Count > 0;
                foreach (var (name, child) in children)
                {
                    deleted += Discard(ChildPath(entry.Path, name), child, deleted: true);
                }

                children.Clear();
                ForgetPackageDatabases(entry.Path, includeSelf: false);
            }
        }

        foreach (var entry in layer.Entries)
        {
            if (entry.Kind is LayerEntryKind.Whiteout or LayerEntryKind.OpaqueDirectory)
            {
                continue;
            }

            var (parent, name, replacedParentBytes, createdParents) = ParentOf(entry.Path);
            overwritten += replacedParentBytes;
            changed |= createdParents;
            parent.Children!.TryGetValue(name, out var existing);
            if (existing is not null && Repeats(existing, entry))
            {
                // The same path with the same metadata: a copy-up that changed nothing (a chmod to the mode it had,
                // a directory whose mtime moved), or a COPY of a file an earlier COPY already put there. The lower copy
                // stays the one that counts, as on stores whose differ leaves such entries out.
                repeated += entry.Kind switch
                {
                    LayerEntryKind.File => entry.Size,
                    LayerEntryKind.Symlink => Encoding.UTF8.GetByteCount(entry.LinkTarget ?? ""),
                    _ => 0,
                };
                continue;
            }

            changed = true;
            if (entry.Kind == LayerEntryKind.Directory && existing?.Children is not null)
            {
                existing.Layer = _layer;
                existing.Stat = entry.Stat;
                continue;
            }

            if (existing is not null)
            {
                overwritten += Discard(entry.Path, existing, deleted: false);
                ForgetPackageDatabases(entry.Path, includeSelf: true);
            }

            var node = Create(entry, layer);
            node.Stat = entry.Stat;
            parent.Children[name] = node;
            if (entry.Kind == LayerEntryKind.File)
            {
                added += entry.Size;
            }
        }

        _shippedBytes += added;
        _wastedBytes += overwritten + deleted;
        return new LayerChanges(reference, layer.Entries.Count, added, overwritten, deleted)
        {
            SizeBytes = layer.SizeBytes - repeated,
            RepeatedBytes = repeated,
            CompressedBytes = layer.CompressedBytes,
            ChangesNothing = !changed,
        };
    }

    /// <summary>
    /// Whether an entry only repeats the path below it, as containerd's differ (continuity fs.Changes, sameFile) judges
    /// it: same kind, permission bits and owner; for non-directories also the same size, link target and mtime in
    /// whole seconds (content is not compared: the scan keeps none). A directory's mtime does not count, as there.
    /// </summary>
    private static bool Repeats(Node node, LayerEntry entry)
    {
        var (below, above) = (node.Stat, entry.Stat);
        if (below.Mode != above.Mode || below.Uid != above.Uid || below.Gid != above.Gid)
        {
            return false;
        }

        var sameTime = below.ModifiedSeconds == above.ModifiedSeconds;
        return entry.Kind switch
        {
            LayerEntryKind.Directory => node.Children is not null,
            LayerEntryKind.File => node.Kind == FileKind.File && node.Content?.Size == entry.Size && sameTime,
            LayerEntryKind.Symlink => node.Kind == FileKind.Symlink && node.LinkTarget == entry.LinkTarget && sameTime,
            LayerEntryKind.HardLink => node.Kind == FileKind.HardLink && node.LinkTarget == entry.LinkTarget && sameTime,
            _ => node.Kind == FileKind.Other && sameTime,
        };
    }

    public IReadOnlyDictionary<string, ImageFile> Files()
    {
        var files = new Dictionary<string, ImageFile>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, Node Node)>();
        pending.Push(("", _root));
        while (pending.TryPop(out var current))
        {
            foreach (var (name, child) in current.Node.Children!)
            {
                var path = $"{current.Path}/{name}";
                files[path] = new ImageFile(path, child.Kind, child.Content?.Size ?? 0, child.LinkTarget, child.Layer);
                if (child.Children is not null)
                {
                    pending.Push((path, child));
                }
            }
        }

        return files;
    }

    /// <summary>Totals over every layer applied so far, and the largest wasted files, largest first, ties by path.</summary>
    public WastedSpace Wasted() =>
        new(
            _wastedBytes,
            _shippedBytes,
            [
                .. _largestWasted.UnorderedItems
                    .Select(w => w.Element)
                    .Order(Comparer<WastedFile>.Create(CompareRank))
                    .Reverse(),
            ]);

    /// <summary>Orders by size, then by path backwards, so the greatest is the first to report and the least the first to drop.</summary>
    private static int CompareRank(WastedFile a, WastedFile b)
    {
        var bySize = a.SizeBytes.CompareTo(b.SizeBytes);
        if (bySize != 0)
        {
            return bySize;
        }

        var byPath = string.CompareOrdinal(b.Path, a.Path);
        return byPath != 0 ? byPath : (b.WrittenByLayer, b.RemovedByLayer).CompareTo((a.WrittenByLayer, a.RemovedByLayer));
    }

    private Node Create(LayerEntry entry, LayerContents layer)
    {
        switch (entry.Kind)
        {
            case LayerEntryKind.Directory:
                return Node.Directory(_layer);
            case LayerEntryKind.File:
                if (layer.PackageDatabases.TryGetValue(entry.Path, out var database))
                {
                    _packageDatabases[entry.Path] = database;
                }

                return new Node(FileKind.File, _layer, new Content(entry.Size, _layer), null);
            case LayerEntryKind.HardLink:
                // The link is a file of its own: it keeps the content even if its target is deleted later.
                var target = entry.LinkTarget is null ? null : Find(entry.LinkTarget);
                if (entry.LinkTarget is not null
                    && Images.PackageDatabases.IsDatabase(entry.Path)
                    && _packageDatabases.TryGetValue(entry.LinkTarget, out var linked))
                {
                    _packageDatabases[entry.Path] = linked;
                }

                if (target?.Content is { } shared)
                {
                    shared.Links++;
                }

                return new Node(FileKind.HardLink, _layer, target?.Content, entry.LinkTarget);
            case LayerEntryKind.Symlink:
                return new Node(FileKind.Symlink, _layer, null, entry.LinkTarget);
            default:
                return new Node(FileKind.Other, _layer, null, null);
        }
    }

    /// <summary>The directory that holds <paramref name="path"/>, creating missing parents and replacing non-directories in the way.</summary>
    private (Node Parent, string Name, long ReplacedBytes, bool Created) ParentOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = _root;
        long replaced = 0;
        var created = false;
        var walked = "";
        foreach (var segment in segments[..^1])
        {
            walked = $"{walked}/{segment}";
            if (!current.Children!.TryGetValue(segment, out var next) || next.Children is null)
            {
                if (next is not null)
                {
                    replaced += Discard(walked, next, deleted: false);
                    ForgetPackageDatabases(walked, includeSelf: true);
                }

                next = Node.Directory(_layer);
                current.Children[segment] = next;
                created = true;
            }

            current = next;
        }

        return (current, segments[^1], replaced, created);
    }

    private Node? Find(string path)
    {
        var current = _root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Children is null || !current.Children.TryGetValue(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Deletes <paramref name="path"/> and everything under it; returns the bytes that no longer show.</summary>
    private long Remove(string path)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash == 0 ? _root : Find(path[..slash]);
        if (parent?.Children is null || !parent.Children.Remove(path[(slash + 1)..], out var removed))
        {
            return 0;
        }

        ForgetPackageDatabases(path, includeSelf: true);
        return Discard(path, removed, deleted: true);
    }

    /// <summary>
    /// Takes a node the current layer hides, subtree included, out of the count of reachable content. Content that
    /// a hard link elsewhere still reaches is not wasted; it is when its last path goes. Returns the wasted bytes.
    /// </summary>
    private long Discard(string path, Node node, bool deleted)
    {
        long wasted = 0;
        var pending = new Stack<(string Path, Node Node)>();
        pending.Push((path, node));
        while (pending.TryPop(out var current))
        {
            if (current.Node.Children is { } children)
            {
                foreach (var (name, child) in children)
                {
                    pending.Push(($"{current.Path}/{name}", child));
                }
            }
            else if (current.Node.Content is { } content && --content.Links == 0 && content.Size > 0)
            {
                wasted += content.Size;
                Keep(new WastedFile(current.Path, content.Size, content.Layer, _layer, deleted));
            }
        }

        return wasted;
    }

    private void Keep(WastedFile file)
    {
        if (_largestWasted.Count < LargestWastedFiles)
        {
            _largestWasted.Enqueue(file, file);
        }
        else if (CompareRank(file, _largestWasted.Peek()) > 0)
        {
            _largestWasted.EnqueueDequeue(file, file);
        }
    }

    private void ForgetPackageDatabases(string path, bool includeSelf)
    {
        var prefix = ChildPath(path, "");
        foreach (var database in _packageDatabases.Keys.ToList())
        {
            if ((includeSelf && database == path) || database.StartsWith(prefix, StringComparison.Ordinal))
            {
                _packageDatabases.Remove(database);
            }
        }
    }

    /// <summary>"/" and "x" make "/x", not "//x": an opaque marker can sit in the root directory.</summary>
    private static string ChildPath(string directory, string name) => directory == "/" ? "/" + name : $"{directory}/{name}";

    /// <summary>Bytes one layer stores once, and how many paths (a file and its hard links) still reach them.</summary>
    private sealed class Content(long size, int layer)
    {
        public long Size { get; } = size;

        /// <summary>The layer that stores the bytes.</summary>
        public int Layer { get; } = layer;

        public int Links { get; set; } = 1;
    }

    /// <param name="layer">The layer that wrote this version of the path.</param>
    /// <param name="content">For files and hard links to files; null otherwise.</param>
    private sealed class Node(FileKind kind, int layer, Content? content, string? linkTarget)
    {
        public FileKind Kind { get; } = kind;

        public int Layer { get; set; } = layer;

        public Content? Content { get; } = content;

        public string? LinkTarget { get; } = linkTarget;

        public EntryStat Stat { get; set; }

        /// <summary>Set for directories only.</summary>
        public Dictionary<string, Node>? Children { get; private init; }

        public static Node Directory(int layer) => new(FileKind.Directory, layer, null, null) { Children = new(StringComparer.Ordinal) };
    }
}
