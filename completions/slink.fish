# fish completion for slink: commands, options, kinds, states and paths.
# Commands and options are read from the program's own --help, so they
# always match the slink that is installed.

function __slink_prog
    set -l words (commandline -opc)
    echo $words[1]
end

# The command given so far (the first word that is not an option).
function __slink_command
    set -l words (commandline -opc)
    for w in $words[2..-1]
        if not string match -q -- '-*' $w
            echo $w
            return 0
        end
    end
    return 1
end

function __slink_command_is
    contains -- (__slink_command) $argv
end

function __slink_commands
    set -l prog (__slink_prog)
    $prog --help 2>/dev/null | awk '/^commands:/ { on = 1; next }
        on && /^  [a-z]/ { n = $1; $1 = ""; sub(/^ +/, ""); print n "\t" $0 }
        on && /^$/ { on = 0 }'
end

function __slink_options
    set -l prog (__slink_prog)
    set -l cmd (__slink_command)
    $prog $cmd --help 2>/dev/null | string match -r '^ +(?:-[[:alnum:]])?(?:, )?--[[:alnum:]][-[:alnum:]]*|^ +-[[:alnum:]]' |
        string match -ra -- '-[-[:alnum:]]+'
    printf '%s\n' --color --quiet -q
end

set -l __slink_kinds symlink dir-symlink junction wsl-symlink app-link reparse
set -l __slink_states ok dangling loop denied absolute relative messy lengthy cross-device escapes

complete -c slink -f -n 'not __slink_command' -a '(__slink_commands)'
complete -c slink -f -n 'not __slink_command' -l help -d 'show the commands'
complete -c slink -f -n 'not __slink_command' -l version -d 'show the version'
complete -c slink -n '__slink_command; and string match -q -- "-*" (commandline -ct)' -a '(__slink_options)'
complete -c slink -n __slink_command -l color -x -a 'auto always never' -d 'colour: auto, always or never'
complete -c slink -n '__slink_command_is scan' -s s -l state -x -a "(__fish_append , $__slink_states)" -d 'only links in these states'
complete -c slink -n '__slink_command_is scan' -s k -l kind -x -a "(__fish_append , $__slink_kinds)" -d 'only links of these kinds'
complete -c slink -n '__slink_command_is hardlinks' -s i -l in -x -a '(__fish_complete_directories)' -d 'look under this directory'
complete -c slink -n '__slink_command_is make' -l drive -x -d 'drive letter of the NTFS volume'
complete -c slink -n '__slink_command_is fix' -l retarget -x -d 'OLD=NEW'
